package dev.flags.core;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The result of an evaluation with its explanation. Immutable and thread-safe when {@code T} is.
 *
 * @param value the value served; the caller's default when {@link #reason()} is an error (so {@code
 *     null} only if the caller passed a {@code null} default)
 * @param variationIndex the index of the variation served; empty when the default was served
 * @param reason why
 * @param <T> the value type
 */
public record EvaluationDetail<T>(T value, OptionalInt variationIndex, EvaluationReason reason) {
  public EvaluationDetail {
    Objects.requireNonNull(variationIndex, "variationIndex");
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether the caller's default was served because of an error. */
  public boolean isDefaultValue() {
    return variationIndex.isEmpty();
  }
}
