package dev.flags.integration;

import dev.flags.core.EvaluationContext;
import dev.flags.core.FileFlagStore;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.JsonValue;
import dev.flags.core.StoreStatus;
import dev.flags.core.json.FlagCodec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The flag values that start-up conditions decide on (Spring's {@code @ConditionalOnFlag},
 * Micronaut's {@code @RequiresFlag}), read before any client exists: a condition must not create
 * the {@code Flags} bean. One instance per application context; the store is read at most once and
 * each key's answer is kept, so every condition on a key gets the same answer.
 *
 * <p>What is read, by {@link FlagsSettings#store()}:
 *
 * <ul>
 *   <li>{@code properties}: the flags of {@code flags.static.*};
 *   <li>{@code file}: one read of {@code flags.file.path}, waiting at most {@value
 *       #FILE_WAIT_SECONDS} s (not at all once the file is known to be unreadable);
 *   <li>{@code redis}: one {@code GET} per key asked, each waiting at most {@code
 *       flags.redis.condition-timeout}; once Redis did not answer, it is not asked again.
 * </ul>
 *
 * What the store holds wins; when the store could not be read, {@code flags.static.*} counts (it is
 * what the client serves until the store's first load); else the flag is missing. Flags are
 * evaluated for the context {@code {key: flags.condition.context-key, kind: "application"}}; with
 * {@code flags.enabled=false} every flag is missing.
 *
 * <p>Thread-safe (lookups are serialised). {@link #close()} releases the store; answers given stay.
 */
public final class StartupFlags implements AutoCloseable {

  /** The kind of the context start-up conditions evaluate flags for. */
  public static final String APPLICATION_KIND = "application";

  /** How long a flag file may take to load at start-up. */
  public static final long FILE_WAIT_SECONDS = 5;

  private static final System.Logger LOG = System.getLogger(StartupFlags.class.getName());
  private static final FlagCodec CODEC = FlagCodec.standard();

  private final FlagsSettings settings;
  private final EvaluationContext context;
  private final Map<String, Lookup> answers = new HashMap<>();
  private @Nullable Source source; // null once closed
  private int storeReads;

  private StartupFlags(FlagsSettings settings) {
    this.settings = settings;
    this.context =
        EvaluationContext.builder(settings.conditionContextKey()).kind(APPLICATION_KIND).build();
  }

  /** Start-up reads of the store these settings choose; nothing is read before the first lookup. */
  public static StartupFlags of(FlagsSettings settings) {
    return new StartupFlags(Objects.requireNonNull(settings, "settings"));
  }

  /** The settings read from. */
  public FlagsSettings settings() {
    return settings;
  }

  /** The flag's value at start-up, or why there is none; the same answer on every call. */
  public synchronized Lookup lookup(String flagKey) {
    Objects.requireNonNull(flagKey, "flagKey");
    Lookup known = answers.get(flagKey);
    if (known != null) {
      return known;
    }
    if (source == null) {
      storeReads++;
      source = open();
    }
    Lookup answer = source.lookup(flagKey);
    answers.put(flagKey, answer);
    return answer;
  }

  /** How many times the store was opened (1 once any flag was asked, whatever the count). */
  public synchronized int storeReads() {
    return storeReads;
  }

  /** Releases the store (a file client, a Redis connection); answers already given stay. */
  @Override
  public synchronized void close() {
    if (source != null) {
      source.close();
      source = null;
    }
  }

  /**
   * The text a condition's {@code havingValue} is compared with: a string as it is, a number
   * without trailing zeros ({@code 3}, {@code 2.5}), {@code true}/{@code false}, anything else
   * compact JSON.
   */
  public static String text(JsonValue value) {
    if (value instanceof JsonValue.Str s) {
      return s.value();
    }
    if (value instanceof JsonValue.Num n) {
      BigDecimal d = n.value().stripTrailingZeros();
      return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }
    return CODEC.write(value);
  }

  /**
   * One answer. Immutable and thread-safe.
   *
   * @param value the flag's value for the application context; empty when it is missing
   * @param why for people: why it is missing, or where the value came from
   */
  public record Lookup(Optional<JsonValue> value, String why) {
    public Lookup {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(why, "why");
    }
  }

  // ---------------------------------------------------------------- sources

  private Source open() {
    if (!settings.enabled()) {
      return key -> new Lookup(Optional.empty(), "flags.enabled=false");
    }
    FlagSet statics = settings.staticFlags();
    switch (settings.store()) {
      case PROPERTIES:
        return new FlagsSource(
            Flags.builder().store(InMemoryFlagStore.of(statics)).build(), "flags.static.*");
      case FILE:
        return file(statics);
      default:
        if (!Classes.redisPresent()) {
          return fallback(statics, "flags-redis or Jedis is not on the classpath");
        }
        return new RedisSource(RedisStores.reader(settings.redis()), statics);
    }
  }

  private Source file(FlagSet statics) {
    FlagsSettings.File file = settings.file();
    FileFlagStore.Builder builder = FileFlagStore.builder().pollInterval(file.pollInterval());
    String path = file.path().orElseThrow();
    if (file.isClasspath()) {
      builder.classpathResource(path.substring(FlagsSettings.File.CLASSPATH_PREFIX.length()));
    } else {
      builder.path(SettingsBinder.filePath(path)).watch(false);
    }
    Flags flags = Flags.builder().store(builder.build()).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(FILE_WAIT_SECONDS).toNanos();
    while (!flags.awaitInitialization(Duration.ofMillis(20))) {
      if (flags.status() == StoreStatus.UNAVAILABLE || System.nanoTime() > deadline) {
        String why = "the file " + path + " could not be read (" + flags.statusDetail() + ")";
        flags.close();
        return fallback(statics, why);
      }
    }
    return new FlagsSource(flags, "the file " + path);
  }

  /** What is known when the store could not be read: the static flags. */
  private Source fallback(FlagSet statics, String why) {
    if (statics.flags().isEmpty()) {
      return key -> new Lookup(Optional.empty(), why);
    }
    FlagsSource known =
        new FlagsSource(
            Flags.builder().store(InMemoryFlagStore.of(statics)).build(),
            "flags.static.* (" + why + ")");
    return new Source() {
      @Override
      public Lookup lookup(String key) {
        Lookup l = known.lookup(key);
        return l.value().isPresent() ? l : new Lookup(Optional.empty(), why);
      }

      @Override
      public void close() {
        known.close();
      }
    };
  }

  private interface Source {
    Lookup lookup(String key);

    default void close() {}
  }

  private final class FlagsSource implements Source {
    private final Flags flags;
    private final String where;

    FlagsSource(Flags flags, String where) {
      this.flags = flags;
      this.where = where;
    }

    @Override
    public Lookup lookup(String key) {
      return evaluate(flags, key, where);
    }

    @Override
    public void close() {
      flags.close();
    }
  }

  /** One GET per key; after a failure to reach Redis, the static flags for every key. */
  private final class RedisSource implements Source {
    private final RedisStores.Reader reader;
    private final FlagSet statics;
    private @Nullable Source down; // null while Redis answers

    RedisSource(RedisStores.Reader reader, FlagSet statics) {
      this.reader = reader;
      this.statics = statics;
    }

    @Override
    public Lookup lookup(String key) {
      if (down != null) {
        return down.lookup(key);
      }
      Optional<Flag> flag;
      try {
        flag = reader.read(key);
      } catch (RedisStores.UnreadableException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "flags: a start-up condition on \""
                + key
                + "\": the value in Redis does not read ("
                + e.getMessage()
                + "); the flag counts as missing");
        return new Lookup(Optional.empty(), "the value in Redis does not read");
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "flags: start-up conditions cannot read Redis ("
                + e
                + "); they use flags.static.* or treat their flags as missing");
        reader.close();
        down = fallback(statics, "Redis did not answer within flags.redis.condition-timeout");
        return down.lookup(key);
      }
      if (flag.isEmpty()) {
        return new Lookup(Optional.empty(), "no key for " + key + " in Redis");
      }
      try (Flags flags =
          Flags.builder().store(InMemoryFlagStore.of(FlagSet.of(flag.get()))).build()) {
        return evaluate(flags, key, "Redis");
      }
    }

    @Override
    public void close() {
      reader.close();
      if (down != null) {
        down.close();
      }
    }
  }

  private Lookup evaluate(Flags flags, String key, String where) {
    if (flags.flag(key).isEmpty()) {
      return new Lookup(Optional.empty(), "no flag " + key + " in " + where);
    }
    return new Lookup(Optional.of(flags.getJson(key, context, JsonValue.NULL)), "from " + where);
  }
}
