package dev.flags.core;

/** A registration that can be cancelled; {@link #close()} is idempotent and thread-safe. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Stops the notifications. */
  @Override
  void close();
}
