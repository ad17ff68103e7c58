package dev.flags.redis;

import org.jspecify.annotations.Nullable;

/**
 * A write refused because its writer no longer holds the lease it was fenced by: another instance
 * took it over (or it expired). Nothing was written.
 */
final class FencedWriteException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  FencedWriteException(String key, long token, @Nullable String held) {
    super(
        "write refused: the lease "
            + key
            + " holds "
            + (held == null ? "no token (expired)" : "token " + held)
            + ", not this writer's token "
            + token);
  }
}
