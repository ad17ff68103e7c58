package dev.flags.core;

/** The {@link Flags} implementation. */
final class FlagClient {
  private FlagClient() {}

  static Flags start(Flags.Builder builder) {
    throw new UnsupportedOperationException("not yet");
  }
}
