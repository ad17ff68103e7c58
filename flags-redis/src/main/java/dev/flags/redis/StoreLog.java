package dev.flags.redis;

/**
 * The store's logger, shared by the classes a {@link RedisFlagStore} is made of, under the store's
 * name, so users configure one logger. Looked up at its first use: in a fresh JVM the first {@code
 * System.getLogger} call initializes the logging backend (about 40 ms), which start-up need not
 * wait for.
 */
final class StoreLog {

  private StoreLog() {}

  private static final class Holder {
    static final System.Logger LOG = System.getLogger(RedisFlagStore.class.getName());
  }

  static System.Logger log() {
    return Holder.LOG;
  }

  /** The exception's simple class name and message, for one-line logs and status details. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
