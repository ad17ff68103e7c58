package dev.flags.core;

/**
 * The client's logger, looked up at its first use: in a fresh JVM the first {@code
 * System.getLogger} call initializes the logging backend (about 40 ms), which start-up need not
 * wait for.
 */
final class ClientLog {
  static final System.Logger LOG = System.getLogger("dev.flags.core");

  private ClientLog() {}
}
