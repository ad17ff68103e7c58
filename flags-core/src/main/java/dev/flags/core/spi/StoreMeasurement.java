package dev.flags.core.spi;

import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * One measurement a {@link MeasuredStore} offers: a name in the Micrometer style (lower case,
 * dot-separated, e.g. {@code flags.store.reconnects}), what kind of value it is, a description, and
 * how to read it. Immutable and thread-safe (the reader must be too).
 *
 * @param name the meter name: lower-case words of letters, digits and {@code _}, separated by dots
 * @param type what the value is, which decides the kind of meter
 * @param description one sentence for monitoring tools
 * @param value reads the current value; cheap, non-blocking, never throws; {@link Double#NaN} when
 *     there is no value (yet)
 */
public record StoreMeasurement(String name, Type type, String description, DoubleSupplier value) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");

  /** What a measurement's value is. */
  public enum Type {
    /** A value that goes up and down: a size, a count of things held, a 0/1 state. */
    GAUGE,
    /** A running total that only increases (monotonic): events since the store started. */
    COUNTER,
    /** A duration in milliseconds, such as the time since something last happened. */
    DURATION_MILLIS
  }

  /**
   * Checks the measurement.
   *
   * @throws IllegalArgumentException if {@code name} is not lower-case dot-separated words or the
   *     description is blank
   * @throws NullPointerException if an argument is null
   */
  public StoreMeasurement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(value, "value");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "measurement name must be lower-case words separated by dots, like"
              + " flags.store.reconnects: '"
              + name
              + "'");
    }
    if (description.isBlank()) {
      throw new IllegalArgumentException("description of measurement " + name + " is blank");
    }
  }
}
