package dev.flags.redis;

import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.StoreUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The way to write flags to Redis: builds a {@link FlagAdmin} — the same validated, versioned,
 * audited write API every store has — over the keys a {@link RedisFlagStore} reads.
 *
 * {@snippet file="dev/flags/redis/JavadocExamplesTest.java" region="admin"}
 *
 * <p>Each write is one Lua script: it checks the versions and every internal key it touches before
 * it changes anything, then writes the values, the index, versions and counter, one audit entry per
 * change in a Redis Stream, and publishes the invalidation every running store applies at once. A
 * change made without the SDK ({@code redis-cli SET feature:checkout false}) is recorded the first
 * time any SDK call or store meets it, with the definition it replaced, so it can be restored
 * ({@link FlagAdmin#restore}). docs/redis-layout.md describes the keys and the scripts.
 *
 * <p>Each write has its own bounded time ({@link Builder#writeTimeout}): when Redis is down or does
 * not answer, the write fails after that time with {@link StoreUnavailableException}, which says
 * whether it may have been applied; it is never sent twice.
 *
 * <p>Not instantiable; the builder is not thread-safe, the admin it builds is.
 */
public final class RedisFlagAdmin {

  /** The approximate number of audit entries kept by default (XADD MAXLEN ~). */
  public static final long DEFAULT_AUDIT_MAX_LENGTH = 100_000;

  /** The most time one write may take by default: 2 seconds. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(2);

  /** The longest write timeout: 1 minute. */
  public static final Duration MAX_WRITE_TIMEOUT = Duration.ofMinutes(1);

  private RedisFlagAdmin() {}

  /** Starts a builder for an admin writing to {@code connection}. */
  public static Builder builder(RedisConnectionSettings connection) {
    return new Builder(connection);
  }

  /**
   * Builds a {@link FlagAdmin} over Redis; setters check their argument and name the option in
   * errors. Not thread-safe.
   */
  public static final class Builder {
    private final RedisConnectionSettings settings;
    private Optional<String> prefix = Optional.empty();
    private long auditMaxLength = DEFAULT_AUDIT_MAX_LENGTH;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private int maxAttempts = FlagAdmin.DEFAULT_MAX_ATTEMPTS;

    private Builder(RedisConnectionSettings settings) {
      this.settings = Objects.requireNonNull(settings, "connection").checkComplete();
    }

    /**
     * The key prefix; must be the stores' (default {@code "feature:"}, {@code "{feature}:"} on a
     * Cluster).
     */
    public Builder prefix(String prefix) {
      this.prefix =
          Optional.of(
              RedisLayout.checkPrefix(
                  prefix, settings.mode() == RedisConnectionSettings.Mode.CLUSTER));
      return this;
    }

    /** The approximate number of audit entries kept (default {@link #DEFAULT_AUDIT_MAX_LENGTH}). */
    public Builder auditMaxLength(long maxLength) {
      if (maxLength < 1) {
        throw new IllegalArgumentException("auditMaxLength: must be >= 1, got " + maxLength);
      }
      this.auditMaxLength = maxLength;
      return this;
    }

    /**
     * The most time one write may take, all of it: getting a connection, checking it, sending the
     * script and reading its answer (default {@link #DEFAULT_WRITE_TIMEOUT}, at most {@link
     * #MAX_WRITE_TIMEOUT}). Reads take at most the connection's timeout ({@link
     * RedisConnectionSettings#timeout()}).
     */
    public Builder writeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "writeTimeout");
      if (timeout.toMillis() < 1 || timeout.compareTo(MAX_WRITE_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "writeTimeout: must be within 1 ms.."
                + MAX_WRITE_TIMEOUT.toSeconds()
                + " s, got "
                + timeout);
      }
      this.writeTimeout = timeout;
      return this;
    }

    /**
     * How often an edit without an expected version tries when someone else wrote in between
     * (default {@link FlagAdmin#DEFAULT_MAX_ATTEMPTS}).
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts: must be >= 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * @return an admin; it connects on first use. Close it when done.
     */
    public FlagAdmin build() {
      RedisLayout layout =
          new RedisLayout(
              prefix.orElse(
                  settings.mode() == RedisConnectionSettings.Mode.CLUSTER
                      ? RedisLayout.DEFAULT_CLUSTER_PREFIX
                      : RedisLayout.DEFAULT_PREFIX));
      return FlagAdmin.builder(
              new RedisFlagRepository(settings, layout, auditMaxLength, writeTimeout))
          .maxAttempts(maxAttempts)
          .build();
    }
  }
}
