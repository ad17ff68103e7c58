package dev.flags.core;

/**
 * Hears when the value a flag serves to one context changes. Called on a client thread;
 * implementations must be thread-safe.
 */
@FunctionalInterface
public interface ValueChangeListener {
  /**
   * @param flagKey the flag
   * @param oldValue what the context got before (JSON null when the flag did not exist)
   * @param newValue what the context gets now (JSON null when the flag was removed)
   */
  void onValueChanged(String flagKey, JsonValue oldValue, JsonValue newValue);
}
