package dev.flags.redis;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.FlagValidationException;
import dev.flags.core.Rollout;
import dev.flags.core.Segment;
import dev.flags.core.Target;
import dev.flags.core.json.FlagCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Writes flags to Redis: validated, with optimistic concurrency, an invalidation message for every
 * running {@link RedisFlagStore}, and an audit entry for every change.
 *
 * {@snippet file="dev/flags/redis/JavadocExamplesTest.java" region="admin"}
 *
 * <p>Every write names the version it read ({@link VersionedFlag#version()}); a Lua script checks
 * it and writes the value, the index, the version, the counter and the audit entry atomically, then
 * publishes the invalidation. A plain on/off switch (exactly {@link Flag#simple}, whatever its
 * version) is stored as the bare {@code true} or {@code false}, so services reading {@code
 * feature:<key>} the simple way keep working; every other flag is stored as its JSON. The
 * convenience methods ({@link #setOn}, {@link #addTargets}…) read, change and write, retrying on a
 * conflict. No invalid flag reaches Redis: each flag is encoded and read back with {@link
 * FlagCodec} before it is written.
 *
 * <p>Errors: {@link FlagConflictException} (the version moved, or the flag exists), {@link
 * NoSuchElementException} (no such flag), {@link IllegalArgumentException} (invalid flag or
 * arguments, naming the problem), and Jedis' {@code JedisException} when Redis cannot be reached.
 *
 * <p>Thread-safe; connections are pooled and opened on first use. Close it when done.
 */
public final class RedisFlagAdmin implements AutoCloseable {

  /** The approximate number of audit entries kept by default (XADD MAXLEN ~). */
  public static final long DEFAULT_AUDIT_MAX_LENGTH = 100_000;

  /** How often a read-change-write method retries on a conflict by default. */
  public static final int DEFAULT_MAX_ATTEMPTS = 100;

  private final RedisConnectionSettings settings;
  private final RedisLayout layout;
  private final long auditMaxLength;
  private final int maxAttempts;
  private final FlagCodec codec = FlagCodec.builder().rejectUnknownOperators(true).build();
  private final FlagCodec reader = FlagCodec.standard();
  private RedisConnections connections;
  private boolean closed;

  private RedisFlagAdmin(Builder b) {
    this.settings = b.settings;
    this.layout =
        new RedisLayout(
            b.prefix.orElse(
                settings.mode() == RedisConnectionSettings.Mode.CLUSTER
                    ? RedisLayout.DEFAULT_CLUSTER_PREFIX
                    : RedisLayout.DEFAULT_PREFIX));
    this.auditMaxLength = b.auditMaxLength;
    this.maxAttempts = b.maxAttempts;
  }

  /** Starts a builder for an admin writing to {@code connection}. */
  public static Builder builder(RedisConnectionSettings connection) {
    return new Builder(connection);
  }

  /**
   * Creates a flag that does not exist yet.
   *
   * @return the flag as stored, with its version
   * @throws FlagConflictException if a flag with this key exists
   */
  public VersionedFlag create(Flag flag, String actor, String reason) {
    Objects.requireNonNull(flag, "flag");
    checkActor(actor, reason);
    for (int attempt = 1; ; attempt++) {
      String v = conn().jedis.hget(layout.versions, flag.key());
      long current = v == null ? 0 : Long.parseLong(v);
      try {
        return write("create", flag, current, actor, reason);
      } catch (FlagConflictException e) {
        if (e.expectedVersion().isEmpty() || attempt >= maxAttempts) {
          throw e;
        }
        // The version moved between our read and the write (a delete or raw edit): read again.
      }
    }
  }

  /**
   * Seeds Redis from a flag set (a flag file, say): creates the flags the store does not hold yet,
   * and leaves those it holds alone, since once seeded Redis is the truth. Segments the set's flags
   * use are written first when missing. Safe to run from several instances at once: a flag another
   * instance created meanwhile is skipped.
   *
   * @return the keys of the flags this call created, in the set's order
   */
  public List<String> createMissing(FlagSet set, String actor, String reason) {
    Objects.requireNonNull(set, "set");
    checkActor(actor, reason);
    for (Segment segment : set.segments().values()) {
      if (!conn().jedis.exists(layout.segmentScriptKeys(segment.key())[0])) {
        putSegment(segment, actor, reason);
      }
    }
    List<String> created = new java.util.ArrayList<>();
    for (Flag flag : set.flags().values()) {
      if (get(flag.key()).isPresent()) {
        continue;
      }
      try {
        create(flag, actor, reason);
        created.add(flag.key());
      } catch (FlagConflictException e) {
        // Another instance seeded it first: what we wanted.
      }
    }
    return created;
  }

  /**
   * Replaces a flag, if its stored version is still {@code expectedVersion}.
   *
   * @return the flag as stored, with its new version
   * @throws FlagConflictException if the version moved
   * @throws NoSuchElementException if the flag does not exist
   */
  public VersionedFlag update(Flag newFlag, long expectedVersion, String actor, String reason) {
    Objects.requireNonNull(newFlag, "newFlag");
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expectedVersion: must be >= 0, got " + expectedVersion);
    }
    checkActor(actor, reason);
    return write("update", newFlag, expectedVersion, actor, reason);
  }

  /**
   * Deletes a flag, whatever its version.
   *
   * @return whether it existed
   */
  public boolean delete(String flagKey, String actor, String reason) {
    checkKey(flagKey);
    checkActor(actor, reason);
    List<?> r = run(flagKey, "delete", -1, "", actor, reason);
    return ((Long) r.get(0)) == 1L;
  }

  /** Turns a flag on or off (off serves its off variation: the kill switch). */
  public VersionedFlag setOn(String flagKey, boolean on, String actor, String reason) {
    return modify(flagKey, f -> f.toBuilder().on(on).build(), actor, reason);
  }

  /**
   * For a boolean flag: serves {@code true} to {@code percent}% of contexts by default (the
   * fallthrough), in 0.001% steps.
   *
   * @throws IllegalArgumentException if the flag is not boolean or {@code percent} is not in 0..100
   */
  public VersionedFlag setRolloutPercentage(
      String flagKey, double percent, String actor, String reason) {
    Rollout rollout = Rollout.percentage(percent);
    return modify(
        flagKey,
        f -> {
          if (!f.isBoolean()) {
            throw new IllegalArgumentException(
                "flag " + f.key() + " is not a boolean flag; set its rollout with update()");
          }
          return f.toBuilder().fallthroughRollout(rollout).build();
        },
        actor,
        reason);
  }

  /**
   * Serves {@code variation} to the contexts with these keys (moving them from another variation's
   * targets if they were there).
   */
  public VersionedFlag addTargets(
      String flagKey, int variation, Collection<String> keys, String actor, String reason) {
    Set<String> add = new LinkedHashSet<>(Objects.requireNonNull(keys, "keys"));
    return modify(
        flagKey,
        f -> {
          checkVariation(f, variation);
          List<Target> targets = new ArrayList<>();
          boolean placed = false;
          for (Target t : f.targets()) {
            Set<String> k = new LinkedHashSet<>(t.keys());
            if (t.variation() == variation) {
              k.addAll(add);
              placed = true;
            } else {
              k.removeAll(add);
            }
            if (!k.isEmpty()) {
              targets.add(Target.of(t.variation(), k));
            }
          }
          if (!placed && !add.isEmpty()) {
            targets.add(Target.of(variation, add));
          }
          return withTargets(f, targets);
        },
        actor,
        reason);
  }

  /** Stops serving {@code variation} individually to the contexts with these keys. */
  public VersionedFlag removeTargets(
      String flagKey, int variation, Collection<String> keys, String actor, String reason) {
    Set<String> remove = new HashSet<>(Objects.requireNonNull(keys, "keys"));
    return modify(
        flagKey,
        f -> {
          checkVariation(f, variation);
          List<Target> targets = new ArrayList<>();
          for (Target t : f.targets()) {
            Set<String> k = new LinkedHashSet<>(t.keys());
            if (t.variation() == variation) {
              k.removeAll(remove);
            }
            if (!k.isEmpty()) {
              targets.add(Target.of(t.variation(), k));
            }
          }
          return withTargets(f, targets);
        },
        actor,
        reason);
  }

  /**
   * Reads a flag, applies {@code change} and writes the result, retrying (up to the builder's
   * {@code maxAttempts}) when someone else wrote in between. {@code change} may run several times
   * and must have no side effect.
   *
   * @throws NoSuchElementException if the flag does not exist
   */
  public VersionedFlag modify(
      String flagKey, UnaryOperator<Flag> change, String actor, String reason) {
    checkKey(flagKey);
    Objects.requireNonNull(change, "change");
    checkActor(actor, reason);
    for (int attempt = 1; ; attempt++) {
      VersionedFlag current =
          get(flagKey).orElseThrow(() -> new NoSuchElementException("no flag " + flagKey));
      Flag next = change.apply(current.flag());
      if (!next.key().equals(flagKey)) {
        throw new IllegalArgumentException(
            "change: must keep the key " + flagKey + ", got " + next.key());
      }
      try {
        return write("update", next, current.version(), actor, reason);
      } catch (FlagConflictException e) {
        if (attempt >= maxAttempts) {
          throw e;
        }
      }
    }
  }

  /**
   * The stored flag and its version.
   *
   * @throws IllegalArgumentException ({@code FlagFormatException}) if the stored value is
   *     malformed; {@link #version(String)} then gives the version to overwrite it with {@link
   *     #update}
   */
  public Optional<VersionedFlag> get(String flagKey) {
    checkKey(flagKey);
    List<?> r =
        (List<?>)
            conn()
                .evalScript(
                    Scripts.READ,
                    List.of(layout.scriptKeys(flagKey)),
                    List.of(
                        flagKey,
                        "read",
                        "-1",
                        "",
                        "",
                        "",
                        Long.toString(auditMaxLength),
                        layout.channel,
                        "",
                        "flag"));
    if (r.size() < 2) {
      return Optional.empty();
    }
    long version = (Long) r.get(0);
    Flag flag = reader.decodeFlag(flagKey, (String) r.get(1));
    return Optional.of(new VersionedFlag(flag.toBuilder().version(version).build(), version));
  }

  /** The stored version of a flag (0 when it never existed), valid or not. */
  public long version(String flagKey) {
    checkKey(flagKey);
    List<?> r =
        (List<?>)
            conn()
                .evalScript(
                    Scripts.READ,
                    List.of(layout.scriptKeys(flagKey)),
                    List.of(
                        flagKey,
                        "read",
                        "-1",
                        "",
                        "",
                        "",
                        Long.toString(auditMaxLength),
                        layout.channel,
                        "",
                        "flag"));
    return (Long) r.get(0);
  }

  /** Every indexed flag that is valid, sorted by key (malformed values are left out). */
  public List<VersionedFlag> list() {
    RedisConnections c = conn();
    List<String> keys = new ArrayList<>(c.jedis.smembers(layout.index));
    keys.sort(Comparator.naturalOrder());
    List<VersionedFlag> out = new ArrayList<>(keys.size());
    for (int from = 0; from < keys.size(); from += 500) {
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + 500));
      List<String> values =
          c.jedis.mget(batch.stream().map(layout::flagKey).toArray(String[]::new));
      List<String> versions = c.jedis.hmget(layout.versions, batch.toArray(String[]::new));
      for (int i = 0; i < batch.size(); i++) {
        if (values.get(i) == null) {
          continue;
        }
        long version = versions.get(i) == null ? 0 : Long.parseLong(versions.get(i));
        try {
          Flag flag = reader.decodeFlag(batch.get(i), values.get(i));
          out.add(new VersionedFlag(flag.toBuilder().version(version).build(), version));
        } catch (IllegalArgumentException malformed) {
          // Listed by nobody: a malformed value is reported by the store and by get().
        }
      }
    }
    return out;
  }

  /** The audit entries of one flag recorded within {@code [from, to]}, oldest first. */
  public List<AuditEntry> audit(String flagKey, Instant from, Instant to) {
    checkKey(flagKey);
    return readAudit(Optional.of(flagKey), from, to);
  }

  /** The audit entries of every flag recorded within {@code [from, to]}, oldest first. */
  public List<AuditEntry> audit(Instant from, Instant to) {
    return readAudit(Optional.empty(), from, to);
  }

  private List<AuditEntry> readAudit(Optional<String> flagKey, Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to: must not be before from (" + from + "), got " + to);
    }
    RedisConnections c = conn();
    List<AuditEntry> out = new ArrayList<>();
    String start = Long.toString(Math.max(0, from.toEpochMilli()));
    String end = Long.toString(Math.max(0, to.toEpochMilli()));
    while (true) {
      List<StreamEntry> page = c.jedis.xrange(layout.audit, start, end, 1000);
      for (StreamEntry e : page) {
        Map<String, String> f = e.getFields();
        String key =
            f.containsKey("segment") ? "segment:" + f.get("segment") : f.getOrDefault("flag", "");
        if (flagKey.isPresent() && !flagKey.get().equals(key)) {
          continue;
        }
        out.add(
            new AuditEntry(
                e.getID().toString(),
                f.getOrDefault("actor", ""),
                Instant.ofEpochMilli(e.getID().getTime()),
                key,
                Long.parseLong(f.getOrDefault("version", "0")),
                Optional.ofNullable(f.get("before")),
                Optional.ofNullable(f.get("after")),
                f.getOrDefault("reason", "")));
      }
      if (page.size() < 1000) {
        return out;
      }
      start = "(" + page.get(page.size() - 1).getID();
    }
  }

  /**
   * Creates or replaces a segment, whatever its stored version; flags name it in {@code
   * segmentMatch} clauses.
   *
   * @return the segment's new version
   */
  public long putSegment(Segment segment, String actor, String reason) {
    Objects.requireNonNull(segment, "segment");
    checkActor(actor, reason);
    String json = codec.encode(segment);
    try {
      codec.decodeSegment(segment.key(), json);
    } catch (IllegalArgumentException e) {
      throw new FlagValidationException(
          segment.key(), "the segment does not read back: " + e.getMessage());
    }
    String[] keys = layout.segmentScriptKeys(segment.key());
    for (int attempt = 1; ; attempt++) {
      boolean exists = conn().jedis.exists(keys[0]);
      try {
        return (Long)
            run(
                    "segment",
                    keys,
                    segment.key(),
                    exists ? "update" : "create",
                    -1,
                    json,
                    actor,
                    reason)
                .get(1);
      } catch (FlagConflictException | NoSuchElementException raced) {
        if (attempt >= maxAttempts) {
          throw raced;
        }
      }
    }
  }

  /**
   * Deletes a segment.
   *
   * @return whether it existed
   */
  public boolean deleteSegment(String segmentKey, String actor, String reason) {
    checkKey(segmentKey);
    checkActor(actor, reason);
    List<?> r =
        run(
            "segment",
            layout.segmentScriptKeys(segmentKey),
            segmentKey,
            "delete",
            -1,
            "",
            actor,
            reason);
    return ((Long) r.get(0)) == 1L;
  }

  /** The key prefix in use. */
  public String prefix() {
    return layout.prefix;
  }

  /** Closes the connection pool. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (connections != null) {
      connections.close();
      connections = null;
    }
  }

  private VersionedFlag write(
      String op, Flag flag, long expectedVersion, String actor, String reason) {
    long next = expectedVersion + 1;
    Flag stored = flag.toBuilder().version(next).build();
    String value = encodeChecked(stored);
    if (isSimpleSwitch(stored)) {
      // What a service reading feature:<key> the simple way understands, and what an on-call
      // engineer would type: the version lives in the versions hash, so nothing is lost.
      value = Boolean.toString(stored.on());
    }
    List<?> r = run(flag.key(), op, expectedVersion, value, actor, reason);
    return new VersionedFlag(stored, (Long) r.get(1));
  }

  private List<?> run(
      String key, String op, long expected, String value, String actor, String reason) {
    return run("flag", layout.scriptKeys(key), key, op, expected, value, actor, reason);
  }

  private List<?> run(
      String kind,
      String[] keys,
      String key,
      String op,
      long expected,
      String value,
      String actor,
      String reason) {
    List<?> r =
        (List<?>)
            conn()
                .evalScript(
                    Scripts.WRITE,
                    List.of(keys),
                    List.of(
                        key,
                        op,
                        Long.toString(expected),
                        value,
                        actor,
                        reason,
                        Long.toString(auditMaxLength),
                        layout.channel,
                        "",
                        kind));
    if ((Long) r.get(0) == 1L) {
      return r;
    }
    long actual = (Long) r.get(1);
    String why = (String) r.get(2);
    switch (why) {
      case "exists":
        throw new FlagConflictException(
            key, -1, actual, kind + " " + key + " already exists (version " + actual + ")");
      case "missing":
        if (op.equals("delete")) {
          return List.of(0L, actual);
        }
        throw new NoSuchElementException("no " + kind + " " + key);
      default:
        throw new FlagConflictException(
            key,
            expected,
            actual,
            kind
                + " "
                + key
                + " was changed by someone else: expected version "
                + expected
                + ", found "
                + actual);
    }
  }

  /** Whether {@code flag} is exactly {@code Flag.simple(key, on)}, whatever its version. */
  static boolean isSimpleSwitch(Flag flag) {
    Flag simple = Flag.simple(flag.key(), flag.on());
    return flag.toBuilder().version(simple.version()).build().equals(simple);
  }

  /** Encodes and reads back, so nothing the codec would reject is ever written. */
  private String encodeChecked(Flag flag) {
    String json = codec.encode(flag);
    try {
      codec.decodeFlag(flag.key(), json);
    } catch (IllegalArgumentException e) {
      throw new FlagValidationException(
          flag.key(), "the flag does not read back: " + e.getMessage());
    }
    return json;
  }

  private static Flag withTargets(Flag f, List<Target> targets) {
    return new Flag(
        f.key(),
        f.version(),
        f.on(),
        f.variations(),
        f.offVariation(),
        f.fallthrough(),
        targets,
        f.rules(),
        f.prerequisites(),
        f.salt(),
        f.metadata());
  }

  private static void checkVariation(Flag f, int variation) {
    if (variation < 0 || variation >= f.variations().size()) {
      throw new IllegalArgumentException(
          "variation: flag "
              + f.key()
              + " has "
              + f.variations().size()
              + " variation(s), got index "
              + variation);
    }
  }

  private static void checkKey(String flagKey) {
    Objects.requireNonNull(flagKey, "flagKey");
    if (!RedisLayout.isValidFlagKey(flagKey)) {
      throw new IllegalArgumentException(
          "flagKey: invalid key \"" + flagKey + "\": 1 to 128 letters, digits, '_', '-' and '.'");
    }
  }

  private static void checkActor(String actor, String reason) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason (use \"\" for none)");
    if (actor.isBlank() || actor.length() > 200) {
      throw new IllegalArgumentException(
          "actor: must be 1 to 200 characters and not blank, got \"" + actor + "\"");
    }
    if (reason.length() > 4000) {
      throw new IllegalArgumentException(
          "reason: must be at most 4000 characters, got " + reason.length());
    }
  }

  private synchronized RedisConnections conn() {
    if (closed) {
      throw new IllegalStateException("admin closed");
    }
    if (connections == null) {
      connections = RedisConnections.open(settings, "flags-redis-admin", 8, true);
    }
    return connections;
  }

  /**
   * Builds a {@link RedisFlagAdmin}; setters check their argument and name the option in errors.
   * Not thread-safe.
   */
  public static final class Builder {
    private final RedisConnectionSettings settings;
    private Optional<String> prefix = Optional.empty();
    private long auditMaxLength = DEFAULT_AUDIT_MAX_LENGTH;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

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

    /** How often read-change-write methods try before giving up on conflicts (default 100). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts: must be >= 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * @return an admin; connects on first use
     */
    public RedisFlagAdmin build() {
      return new RedisFlagAdmin(this);
    }
  }
}
