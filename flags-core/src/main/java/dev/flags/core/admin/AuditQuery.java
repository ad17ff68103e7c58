package dev.flags.core.admin;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit entries to read: newest first, filtered by what changed, who changed it and when, at
 * most {@link #limit()}. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * @param kind only entries of this kind of definition; empty for both
 * @param key only entries of this key (with {@code kind}); empty for every key
 * @param actor only entries made by this actor (exact match); empty for everyone
 * @param from only entries recorded at or after this instant
 * @param to only entries recorded at or before this instant
 * @param limit the most entries returned, 1 to {@link #MAX_LIMIT}
 */
public record AuditQuery(
    Optional<DefinitionKind> kind,
    Optional<String> key,
    Optional<String> actor,
    Optional<Instant> from,
    Optional<Instant> to,
    int limit) {

  /** The default {@link #limit()}. */
  public static final int DEFAULT_LIMIT = 100;

  /** The largest {@link #limit()}. */
  public static final int MAX_LIMIT = 10_000;

  /** Every entry, newest first, {@link #DEFAULT_LIMIT} at most. */
  public static final AuditQuery ALL =
      new AuditQuery(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          DEFAULT_LIMIT);

  public AuditQuery {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (key.isPresent() && kind.isEmpty()) {
      throw new IllegalArgumentException("key: a key needs a kind (flag or segment)");
    }
    if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
      throw new IllegalArgumentException(
          "to: must not be before from (" + from.get() + "), got " + to.get());
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit: must be within 1.." + MAX_LIMIT + ", got " + limit);
    }
  }

  /** Starts a query of every entry. */
  public static Builder builder() {
    return new Builder();
  }

  /** The newest entries of one flag. */
  public static AuditQuery flag(String flagKey) {
    return builder().flag(flagKey).build();
  }

  /** Whether {@code entry} passes every filter but the limit. */
  public boolean matches(AuditEntry entry) {
    return kind.map(k -> k == entry.kind()).orElse(true)
        && key.map(k -> k.equals(entry.key())).orElse(true)
        && actor.map(a -> a.equals(entry.actor())).orElse(true)
        && from.map(f -> !entry.time().isBefore(f)).orElse(true)
        && to.map(t -> !entry.time().isAfter(t)).orElse(true);
  }

  /** Builds an {@link AuditQuery}; not thread-safe. */
  public static final class Builder {
    private Optional<DefinitionKind> kind = Optional.empty();
    private Optional<String> key = Optional.empty();
    private Optional<String> actor = Optional.empty();
    private Optional<Instant> from = Optional.empty();
    private Optional<Instant> to = Optional.empty();
    private int limit = DEFAULT_LIMIT;

    private Builder() {}

    /** Only the entries of this flag. */
    public Builder flag(String flagKey) {
      this.kind = Optional.of(DefinitionKind.FLAG);
      this.key = Optional.of(Objects.requireNonNull(flagKey, "flagKey"));
      return this;
    }

    /** Only the entries of this segment. */
    public Builder segment(String segmentKey) {
      this.kind = Optional.of(DefinitionKind.SEGMENT);
      this.key = Optional.of(Objects.requireNonNull(segmentKey, "segmentKey"));
      return this;
    }

    /** Only the entries of this kind of definition. */
    public Builder kind(DefinitionKind kind) {
      this.kind = Optional.of(Objects.requireNonNull(kind, "kind"));
      return this;
    }

    /** Only the entries made by this actor. */
    public Builder actor(String actor) {
      this.actor = Optional.of(Objects.requireNonNull(actor, "actor"));
      return this;
    }

    /** Only the entries recorded at or after {@code from}. */
    public Builder from(Instant from) {
      this.from = Optional.of(Objects.requireNonNull(from, "from"));
      return this;
    }

    /** Only the entries recorded at or before {@code to}. */
    public Builder to(Instant to) {
      this.to = Optional.of(Objects.requireNonNull(to, "to"));
      return this;
    }

    /** At most this many entries (default {@link #DEFAULT_LIMIT}). */
    public Builder limit(int limit) {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException(
            "limit: must be within 1.." + MAX_LIMIT + ", got " + limit);
      }
      this.limit = limit;
      return this;
    }

    /**
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public AuditQuery build() {
      return new AuditQuery(kind, key, actor, from, to, limit);
    }
  }
}
