package dev.flags.redis;

import dev.flags.core.spi.LatencyHistogram;
import dev.flags.core.spi.OutcomeBatch;
import dev.flags.core.spi.OutcomeCounts;
import dev.flags.core.spi.OutcomeSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Shares the outcomes a client records ({@link dev.flags.core.Flags#recordOutcome}) between all
 * instances through Redis, for guarded rollouts. Each flush is one Lua script run: one {@code
 * HINCRBY} per non-zero counter into {@code <prefix>#outcomes:<flag>:<bucket>} (a hash per flag and
 * 10-second bucket, at most 8 variations × 16 counters), then {@code EXPIRE}, so Redis holds at
 * most {@code retention / 10 s} hashes per flag however many instances and users there are, and
 * each instance sends at most one script per flush interval. Readers add the hashes of a window up.
 * Each flush counts once: one that timed out, and so may or may not have been applied, is sent
 * again under its id before anything else, and the script applies an id only once (it keeps {@code
 * <prefix>#outcomes-flush:<id>}, a small string, for the retention).
 *
 * {@snippet file="dev/flags/redis/OutcomeSinkTest.java" region="sink"}
 *
 * <p>Thread-safe. It opens its own small connection pool on first use; the client closes it.
 */
public final class RedisOutcomeSink implements OutcomeSink {

  /** How long outcome hashes are kept by default: 1 hour. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

  /** The shortest retention: 1 minute. */
  public static final Duration MIN_RETENTION = Duration.ofMinutes(1);

  /** The longest retention: 7 days. */
  public static final Duration MAX_RETENTION = Duration.ofDays(7);

  private final OutcomeStore store;

  private RedisOutcomeSink(OutcomeStore store) {
    this.store = store;
  }

  /** Starts a builder of a sink writing to {@code connection}. */
  public static Builder builder(RedisConnectionSettings connection) {
    return new Builder(connection);
  }

  @Override
  public void publish(OutcomeBatch batch) {
    store.add(batch);
  }

  @Override
  public void close() {
    store.close();
  }

  /** Builds a {@link RedisOutcomeSink}; setters name the option in errors. Not thread-safe. */
  public static final class Builder {
    private final RedisConnectionSettings settings;
    private Optional<String> prefix = Optional.empty();
    private Duration retention = DEFAULT_RETENTION;

    private Builder(RedisConnectionSettings settings) {
      this.settings = Objects.requireNonNull(settings, "connection").checkComplete();
    }

    /** The key prefix; must be the stores' (default {@code "feature:"}). */
    public Builder prefix(String prefix) {
      this.prefix =
          Optional.of(
              RedisLayout.checkPrefix(
                  prefix, settings.mode() == RedisConnectionSettings.Mode.CLUSTER));
      return this;
    }

    /**
     * How long each bucket's hash is kept (default {@link #DEFAULT_RETENTION}, within {@link
     * #MIN_RETENTION}..{@link #MAX_RETENTION}); it must exceed the longest window a guard reads.
     */
    public Builder retention(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      if (retention.compareTo(MIN_RETENTION) < 0 || retention.compareTo(MAX_RETENTION) > 0) {
        throw new IllegalArgumentException(
            "retention: must be within "
                + MIN_RETENTION
                + ".."
                + MAX_RETENTION
                + ", got "
                + retention);
      }
      this.retention = retention;
      return this;
    }

    /** The sink; it connects on its first flush. */
    public RedisOutcomeSink build() {
      RedisLayout layout = RedisLayout.of(settings, prefix);
      return new RedisOutcomeSink(
          new OutcomeStore(
              () -> RedisConnections.open(settings, "flags-outcomes", 2, true), layout, retention));
    }
  }

  /**
   * Writes and reads outcome hashes; shared by the sink and the rollout controller. Thread-safe.
   */
  static final class OutcomeStore implements AutoCloseable {
    private final Supplier<RedisConnections> opener;
    final RedisLayout layout;
    private final Duration retention;
    private @Nullable RedisConnections connections; // null until opened, and once closed
    private boolean closed;

    /** Names this sink's flushes, so each is applied once (see {@link #add}). */
    private final String instance = UUID.randomUUID().toString();

    private long flushes; // guarded by this, as add is

    /** A flush sent without a reply (a timeout): applied or not, it is sent again first. */
    private @Nullable Flush uncertain;

    /**
     * Counts applied by flushes since the client last heard a batch was taken, by flag and field.
     */
    private final Map<String, Long> appliedSinceAccepted = new HashMap<>();

    OutcomeStore(Supplier<RedisConnections> opener, RedisLayout layout, Duration retention) {
      this.opener = opener;
      this.layout = layout;
      this.retention = retention;
    }

    private synchronized RedisConnections redis() {
      if (closed) {
        throw new IllegalStateException("the outcome store is closed");
      }
      if (connections == null) {
        connections = opener.get();
      }
      return connections;
    }

    String key(String flagKey, long bucket) {
      return layout.prefix + "#outcomes:" + flagKey + ":" + bucket;
    }

    /**
     * Adds a batch, exactly once. When a flush fails the client sends its counts again with the
     * next one; but a flush that timed out may have been applied all the same. So a flush whose
     * outcome is unknown is kept and sent again first, under its id (the script applies an id
     * once), and what it held is taken out of the next batch, which counts it again.
     */
    synchronized void add(OutcomeBatch batch) {
      Flush pending = uncertain;
      if (pending != null) {
        send(pending); // throws while Redis is away: it stays pending
        pending.counts.forEach((k, n) -> appliedSinceAccepted.merge(k, n, Long::sum));
        uncertain = null;
      }
      Flush next = flush(batch, appliedSinceAccepted);
      if (!next.isEmpty()) {
        try {
          send(next);
        } catch (RuntimeException e) {
          uncertain = next;
          throw e;
        }
      }
      appliedSinceAccepted.clear(); // the client counts this batch delivered
    }

    private void send(Flush f) {
      List<String> keys = new ArrayList<>();
      keys.add(layout.prefix + "#outcomes-flush:" + f.id);
      keys.addAll(f.fields.keySet());
      List<String> args = new ArrayList<>();
      args.add(Long.toString(Math.max(1, retention.toSeconds())));
      for (List<String> pairs : f.fields.values()) {
        args.add(Integer.toString(pairs.size() / 2));
        args.addAll(pairs);
      }
      redis().evalScript(OutcomeScripts.ADD, keys, args);
    }

    /** The batch's counts less those already applied, under a new id. */
    private Flush flush(OutcomeBatch batch, Map<String, Long> applied) {
      Flush f = new Flush(instance + ":" + ++flushes);
      for (OutcomeCounts c : batch.counts()) {
        String hash = key(c.flagKey(), batch.bucket());
        f.add(hash, c.flagKey(), c.variation() + ":ok", c.successes(), applied);
        f.add(hash, c.flagKey(), c.variation() + ":err", c.errors(), applied);
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
          f.add(hash, c.flagKey(), c.variation() + ":lat" + i, c.latency().count(i), applied);
        }
      }
      return f;
    }

    /** One flush: its id, its fields per hash, and its counts per flag and field. */
    private static final class Flush {
      final String id;
      final TreeMap<String, List<String>> fields = new TreeMap<>();
      final Map<String, Long> counts = new HashMap<>();

      Flush(String id) {
        this.id = id;
      }

      void add(String hash, String flagKey, String field, long n, Map<String, Long> applied) {
        String counter = flagKey + '\0' + field;
        long left = n - applied.getOrDefault(counter, 0L);
        if (left > 0) {
          List<String> pairs = fields.computeIfAbsent(hash, k -> new ArrayList<>());
          pairs.add(field);
          pairs.add(Long.toString(left));
          counts.put(counter, left);
        }
      }

      boolean isEmpty() {
        return fields.isEmpty();
      }
    }

    /**
     * The outcomes of a flag in the buckets that start in {@code [from, to)}, summed over every
     * instance, one entry per variation seen (index → counts).
     */
    Map<Integer, OutcomeCounts> window(String flagKey, Instant from, Instant to) {
      long len = OutcomeBatch.BUCKET_LENGTH.toMillis();
      long first = Math.floorDiv(from.toEpochMilli() + len - 1, len);
      long last = Math.floorDiv(to.toEpochMilli() - 1, len);
      List<String> keys = new ArrayList<>();
      for (long b = first; b <= last; b++) {
        keys.add(key(flagKey, b));
      }
      TreeMap<Integer, long[]> raw = new TreeMap<>();
      if (!keys.isEmpty()) {
        List<?> reply = (List<?>) redis().evalScript(OutcomeScripts.SUM, keys, List.of());
        for (int i = 0; i + 1 < reply.size(); i += 2) {
          String field = (String) reply.get(i);
          long n = Long.parseLong((String) reply.get(i + 1));
          int colon = field.indexOf(':');
          if (colon < 1 || n < 0) {
            continue; // not ours: ignore rather than fail a guard on a stray field
          }
          int v;
          try {
            v = Integer.parseInt(field.substring(0, colon));
          } catch (NumberFormatException e) {
            continue;
          }
          long[] c = raw.computeIfAbsent(v, x -> new long[2 + LatencyHistogram.BUCKETS]);
          String what = field.substring(colon + 1);
          if (what.equals("ok")) {
            c[0] += n;
          } else if (what.equals("err")) {
            c[1] += n;
          } else if (what.startsWith("lat")) {
            try {
              int i2 = Integer.parseInt(what.substring(3));
              if (i2 >= 0 && i2 < LatencyHistogram.BUCKETS) {
                c[2 + i2] += n;
              }
            } catch (NumberFormatException e) {
              // ignore a stray field
            }
          }
        }
      }
      TreeMap<Integer, OutcomeCounts> out = new TreeMap<>();
      raw.forEach(
          (v, c) -> {
            long[] lat = new long[LatencyHistogram.BUCKETS];
            System.arraycopy(c, 2, lat, 0, lat.length);
            out.put(v, new OutcomeCounts(flagKey, v, c[0], c[1], LatencyHistogram.of(lat)));
          });
      return out;
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (connections != null) {
        connections.close();
      }
    }
  }
}
