package dev.flags.redis;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.admin.spi.FlagRepository;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Flags and segments in Redis, for {@link dev.flags.core.admin.FlagAdmin}: every read and write is
 * one Lua script ({@link ReadScript}, {@link WriteScript}), so raw edits are recorded and damaged
 * internal keys repaired by whichever call meets them first, and a batch is applied whole with its
 * audit entries or not at all (docs/redis-layout.md).
 *
 * <p>Each call has a budget: {@code writeTimeout} for a write, the connection's timeout for a read,
 * covering all of it ({@link AdminConnection}). A call that fails for want of Redis throws {@link
 * StoreUnavailableException} saying whether a write may have been applied, and logs one WARNING
 * line (with the stack trace only at DEBUG).
 *
 * <p>Thread-safe.
 */
final class RedisFlagRepository implements FlagRepository {

  /** How many keys one read script reads when listing. */
  static final int READ_BATCH = 100;

  /** How many audit entries one XREVRANGE reads when a query names no key. */
  static final int AUDIT_PAGE = 500;

  private static final class Log {
    static final System.Logger LOG = System.getLogger(RedisFlagAdmin.class.getName());
  }

  private final RedisLayout layout;
  private final long auditMaxLength;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final AdminConnection redis;
  private final String description;
  private final Optional<Fence> fence;

  RedisFlagRepository(
      RedisConnectionSettings settings,
      RedisLayout layout,
      long auditMaxLength,
      Duration writeTimeout) {
    this(settings, layout, auditMaxLength, writeTimeout, Optional.empty());
  }

  /** A repository whose every write is refused unless {@code fence}'s key holds its token. */
  RedisFlagRepository(
      RedisConnectionSettings settings,
      RedisLayout layout,
      long auditMaxLength,
      Duration writeTimeout,
      Optional<Fence> fence) {
    this.fence = fence;
    this.layout = layout;
    this.auditMaxLength = auditMaxLength;
    this.readTimeout = settings.timeout();
    this.writeTimeout = writeTimeout;
    Duration connect = readTimeout.compareTo(writeTimeout) < 0 ? readTimeout : writeTimeout;
    this.redis = new AdminConnection(settings, connect, 8);
    this.description =
        "redis "
            + settings.mode().name().toLowerCase(Locale.ROOT)
            + " "
            + String.join(",", settings.nodes())
            + settings.masterName().map(m -> " master " + m).orElse("")
            + " prefix "
            + layout.prefix;
  }

  @Override
  public Optional<Stored> read(DefinitionKind kind, String key) {
    ReadScript.Result r = reading("read " + what(kind, key), s -> script(kind).one(s, key, true));
    return stored(kind, r);
  }

  @Override
  public long currentVersion(DefinitionKind kind, String key) {
    return reading("read " + what(kind, key), s -> script(kind).one(s, key, false)).version();
  }

  @Override
  public List<Stored> readAll(DefinitionKind kind) {
    String what = "list the " + kind.name().toLowerCase(Locale.ROOT) + "s";
    // The script with no keys checks and repairs the internal keys (a damaged index included)
    // before the index is read.
    reading(what, s -> script(kind).many(s, List.of(), false));
    List<String> keys =
        new ArrayList<>(
            readingBy(
                what,
                d -> redis.call(redis.commands().smembers(layout.of(kind).index()), d, false)));
    keys.sort(Comparator.naturalOrder());
    List<Stored> out = new ArrayList<>(keys.size());
    for (int from = 0; from < keys.size(); from += READ_BATCH) {
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + READ_BATCH));
      for (ReadScript.Result r : reading(what, s -> script(kind).many(s, batch, true))) {
        stored(kind, r).ifPresent(out::add);
      }
    }
    return out;
  }

  @Override
  public Outcome write(List<Write> batch) {
    String what =
        batch.size() == 1
            ? "the write of " + what(batch.get(0).kind(), batch.get(0).key())
            : "the batch of " + batch.size() + " writes";
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    try {
      return new WriteScript(layout, auditMaxLength)
          .run(redis.scripts(deadline, true), batch, fence);
    } catch (AdminConnection.Failure f) {
      throw unavailable(what, true, writeTimeout, f);
    } catch (JedisDataException e) {
      throw refused(what, true, e);
    }
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    if (query.key().isPresent()) {
      DefinitionKind kind = query.kind().orElseThrow();
      String key = query.key().get();
      List<AuditEntry> chain =
          reading(
              "read the audit of " + what(kind, key),
              s ->
                  new AuditChainScript(layout)
                      .run(s, kind, key, query.limit(), query.from(), query.to(), query.actor()));
      return chain.stream().filter(query::matches).toList();
    }
    List<AuditEntry> out = new ArrayList<>();
    String end = query.to().map(t -> Long.toString(t.toEpochMilli())).orElse("+");
    String start = query.from().map(f -> Long.toString(AuditChainScript.ceilMillis(f))).orElse("-");
    while (out.size() < query.limit()) {
      String pageEnd = end;
      List<StreamEntry> page =
          auditRead(
              d ->
                  redis.call(
                      redis.commands().xrevrange(layout.audit, pageEnd, start, AUDIT_PAGE),
                      d,
                      false));
      for (StreamEntry e : page) {
        AuditEntry entry = AuditEntries.parse(e.getID().toString(), e.getFields());
        if (query.matches(entry) && out.size() < query.limit()) {
          out.add(entry);
        }
      }
      if (page.size() < AUDIT_PAGE) {
        break;
      }
      end = "(" + page.get(page.size() - 1).getID();
    }
    return out;
  }

  @Override
  public Optional<AuditEntry> auditEntry(String id) {
    if (!AuditEntries.isId(id)) {
      return Optional.empty();
    }
    List<StreamEntry> found =
        auditRead(d -> redis.call(redis.commands().xrange(layout.audit, id, id, 1), d, false));
    return found.stream().findFirst().map(e -> AuditEntries.parse(id, e.getFields()));
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    redis.close();
  }

  // ---------------------------------------------------------------- internals

  private ReadScript script(DefinitionKind kind) {
    return new ReadScript(layout, kind, auditMaxLength);
  }

  private Optional<Stored> stored(DefinitionKind kind, ReadScript.Result r) {
    if (!r.present()) {
      return Optional.empty();
    }
    // A value key of another type (a hash where a string belongs) is shown as a value that does
    // not read, so it can be listed and replaced like any malformed value.
    String text = r.value().orElseGet(() -> "<a Redis " + r.wrongType().orElseThrow() + ">");
    return Optional.of(new Stored(kind, r.key(), r.version(), text, r.lastChange()));
  }

  /** Reads the audit stream, repairing it first when it has the wrong type. */
  private List<StreamEntry> auditRead(LongFunction<List<StreamEntry>> read) {
    try {
      return readingBy("read the audit", read);
    } catch (IllegalStateException wrongType) {
      reading("read the audit", s -> script(DefinitionKind.FLAG).many(s, List.of(), false));
      return readingBy("read the audit", read);
    }
  }

  /** A read, by the read budget, through a script runner. */
  private <T> T reading(String what, Function<ScriptRunner, T> read) {
    return readingBy(what, d -> read.apply(redis.scripts(d, false)));
  }

  /** A read, by the read budget; {@code read} gets the deadline. */
  private <T> T readingBy(String what, LongFunction<T> read) {
    long deadline = System.nanoTime() + readTimeout.toNanos();
    try {
      return read.apply(deadline);
    } catch (AdminConnection.Failure f) {
      throw unavailable(what, false, readTimeout, f);
    } catch (JedisDataException e) {
      throw refused(what, false, e);
    }
  }

  private StoreUnavailableException unavailable(
      String what, boolean write, Duration budget, AdminConnection.Failure f) {
    boolean mayHaveBeenApplied = write && f.sent();
    String message =
        "Redis ("
            + where()
            + ") "
            + (f.timedOut()
                ? "did not answer within " + budget.toMillis() + " ms"
                : "cannot be reached: " + f.getMessage())
            + "; "
            + (write
                ? what
                    + (mayHaveBeenApplied
                        ? " was sent and may have been applied: read it before retrying"
                        : " was not applied")
                : "cannot " + what);
    log(message, f);
    return new StoreUnavailableException(message, mayHaveBeenApplied, f.getCause());
  }

  /**
   * An error answer: nothing was applied. Those that say the server cannot take the call now
   * (read-only replica, out of memory, loading, busy, no permission) are the store being
   * unavailable; a wrong type met outside the scripts is repaired by the caller.
   */
  private RuntimeException refused(String what, boolean write, JedisDataException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("WRONGTYPE")) {
      return new IllegalStateException(m, e);
    }
    String message =
        "Redis ("
            + where()
            + ") refused to "
            + (write ? "apply " + what : what)
            + ": "
            + m
            + (write ? "; it was not applied" : "");
    log(message, e);
    return new StoreUnavailableException(message, false, e);
  }

  private void log(String message, Throwable cause) {
    if (Log.LOG.isLoggable(Level.DEBUG)) {
      Log.LOG.log(Level.WARNING, message, cause);
    } else {
      Log.LOG.log(Level.WARNING, message);
    }
  }

  private String where() {
    return description.substring("redis ".length());
  }

  private static String what(DefinitionKind kind, String key) {
    return kind.name().toLowerCase(Locale.ROOT) + " " + key;
  }
}
