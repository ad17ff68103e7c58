package dev.flags.core;

/**
 * Sees every evaluation, for metrics. Called on the caller's thread, synchronously, so it must be
 * thread-safe, fast and allocation-free; it must not throw. When no hook is registered, the client
 * pays nothing.
 */
@FunctionalInterface
public interface EvaluationHook {
  /**
   * @param flagKey the flag evaluated
   * @param variationIndex the variation served, or {@code -1} when the caller's default was served
   * @param reason why
   */
  void onEvaluation(String flagKey, int variationIndex, EvaluationReason.Kind reason);
}
