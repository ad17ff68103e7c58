package dev.flags.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.RedisInputStream;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Runs the code a flag change goes through in every instance about a thousand times, once, after
 * the first load: a change is rare, so without this that code runs in the interpreter for the life
 * of most processes, and the JIT compiles it, a piece at a time, while changes are being applied.
 * With 8 processes on 2 cores, every change wakes all of them at once, so each one's CPU per change
 * (the interpreter, the JIT's compilations) delays the others: warming cut it from 1.8–2.0 to
 * 1.4–1.7 ms and the median delay until an instance serves the change from 4.7–5.5 to 2.8–3.4 ms;
 * see "Propagation between processes, warmed" in docs/benchmarks.md.
 *
 * <p>Each round does what a change does, without changing anything anyone serves. Every other round
 * is a raw edit: it tells a keyspace notification's key as the subscriber does, runs the read
 * script over the store's pool as the subscriber does for a raw edit ({@link Loader#readOne}, the
 * same code end to end; in the first {@link #MAX_READ_BACKS} such rounds), for a key that holds
 * nothing, so the script takes its read-only path, and applies the value as a read. The others are
 * SDK writes: a pub/sub frame read as Jedis reads it, parsed as the subscriber does and applied as
 * a message. Both apply to a <em>shadow</em> replica attached to a throwaway client (decoding, the
 * client's compile and publish, its listener thread, an evaluation). Reading back a stored flag
 * with a plain {@code GET} instead, as an earlier version did, left the read script's client code
 * to be compiled during the first few hundred real raw edits; the real path halved the JIT's CPU
 * per change and cut the whole process's by a fifth ("Propagation with the real read path
 * rehearsed" in docs/benchmarks.md). The rounds run on their own short-lived thread, never on the
 * store's worker or subscriber thread.
 *
 * <p>Thread-safe: {@link #run()} is called by one thread.
 */
final class ChangePathWarmUp implements Runnable {

  /** Rounds by default: a real change path settles after several hundred changes. */
  static final int DEFAULT_ROUNDS = 1000;

  /** The key of the made-up flag rehearsed with when Redis holds none (never written anywhere). */
  static final String REHEARSAL_KEY = "flags-redis.warm-up";

  /**
   * Read scripts run at most: reading back is the one part that costs Redis anything (a few µs of
   * its time each, for a key that holds nothing).
   */
  static final int MAX_READ_BACKS = 500;

  private final RedisLayout layout;
  private final int database;
  private final Replica replica;
  private final Subscriber subscriber;
  private final Predicate<String> readBack;
  private final BooleanSupplier closed;
  private final int rounds;

  ChangePathWarmUp(
      RedisLayout layout,
      int database,
      Replica replica,
      Subscriber subscriber,
      Predicate<String> readBack,
      BooleanSupplier closed,
      int rounds) {
    this.layout = layout;
    this.database = database;
    this.replica = replica;
    this.subscriber = subscriber;
    this.readBack = readBack;
    this.closed = closed;
    this.rounds = rounds;
  }

  @Override
  public void run() {
    try {
      rehearse();
    } catch (RuntimeException | Error e) { // a rehearsal never harms the store; only said at DEBUG
      StoreLog.log().log(Level.DEBUG, "the change path warm-up stopped: " + StoreLog.describe(e));
    }
  }

  private void rehearse() {
    List<CacheEntry.Present> held = replica.presentSample(8);
    // Without a flag yet (an empty Redis, or raw keys still being adopted), a made-up one: only
    // the read-back needs a real key, and it is left out.
    FlagCodec codec = replica.codec();
    Flag madeUp = Flag.simple(REHEARSAL_KEY, true);
    List<CacheEntry.Present> samples =
        held.isEmpty() ? List.of(new CacheEntry.Present(madeUp, codec.encode(madeUp))) : held;
    // Each sample's stored value and a different one (the flag turned the other way), so every
    // message changes the shadow replica and the throwaway client, as a real change does.
    String[][] values = new String[samples.size()][2];
    for (int s = 0; s < samples.size(); s++) {
      Flag flag = samples.get(s).flag();
      values[s][0] = samples.get(s).raw();
      values[s][1] = codec.encode(flag.toBuilder().on(!flag.on()).build());
    }
    Replica shadow = new Replica(layout, Ticker.systemTicker(), Duration.ofSeconds(1), 16);
    ThrowawayStore store = new ThrowawayStore(shadow);
    EvaluationContext context = EvaluationContext.of("warm-up");
    try (Flags client = Flags.builder().store(store).build()) {
      String watched = samples.get(0).flag().key();
      var unused =
          client.addListener(
              watched,
              new FlagListener() {
                @Override
                public void onFlagChanged(String key) {
                  client.isEnabled(key, context); // as an application's listener does
                }
              });
      String pattern = layout.keyspacePattern(database);
      boolean reading = true;
      for (int i = 0; i < rounds && !closed.getAsBoolean(); i++) {
        int s = i % samples.size();
        String key = samples.get(s).flag().key();
        long version = i + 1L;
        String value = values[s][(i / samples.size()) % 2];
        if (i % 2 == 0) {
          // A raw edit: its keyspace notification, told apart from the internal keys; the read
          // script run for it (on a key that holds nothing: the answer is not used); the value
          // applied as a read.
          String[] notification =
              frame(pattern, "__keyspace@" + database + "__:" + layout.flagKey(key), "set");
          Optional<String> cacheKey = subscriber.notifiedCacheKey(notification[0]);
          if (reading && i / 2 < MAX_READ_BACKS) {
            reading = readBack.test(REHEARSAL_KEY);
          }
          cacheKey.ifPresent(k -> shadow.applyRead(k, version, value));
        } else {
          // An SDK write: its message carries the value, which is applied.
          String[] message =
              frame(layout.channelPattern(), layout.channel, key + "\n" + version + "\n" + value);
          Invalidation.parse(message[1])
              .filter(Invalidation::carriesValue)
              .ifPresent(m -> shadow.applyMessage(m.cacheKey(), m.version(), m.raw()));
        }
      }
    }
  }

  /** The store of the throwaway client: the shadow replica applies changes to its sink. */
  private static final class ThrowawayStore implements FlagStore {
    private final Replica shadow;

    ThrowawayStore(Replica shadow) {
      this.shadow = shadow;
    }

    @Override
    public void start(StoreSink sink) {
      shadow.attach(sink);
      sink.replaceAll(StoreSnapshot.EMPTY);
    }

    @Override
    public void close() {}
  }

  /** A {@code pmessage} frame as it comes off the wire, read back by Jedis: {channel, message}. */
  private static String[] frame(String pattern, String channel, String payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[][] parts = {
      "pmessage".getBytes(StandardCharsets.UTF_8),
      pattern.getBytes(StandardCharsets.UTF_8),
      channel.getBytes(StandardCharsets.UTF_8),
      payload.getBytes(StandardCharsets.UTF_8)
    };
    out.writeBytes(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] p : parts) {
      out.writeBytes(("$" + p.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(p);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    Object read = Protocol.read(new RedisInputStream(new ByteArrayInputStream(out.toByteArray())));
    List<?> reply = (List<?>) read;
    return new String[] {
      SafeEncoder.encode((byte[]) reply.get(2)), SafeEncoder.encode((byte[]) reply.get(3))
    };
  }
}
