package dev.flags.core.admin;

/**
 * The store cannot be written (a classpath resource, a read-only file system, a read-only
 * configuration); nothing was written. Immutable and thread-safe.
 */
public class ReadOnlyStoreException extends IllegalStateException {

  /**
   * @param message why, and what to do instead, for a human
   */
  public ReadOnlyStoreException(String message) {
    super(message);
  }
}
