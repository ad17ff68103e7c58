package dev.flags.integration;

import dev.flags.core.EvaluationHook;
import dev.flags.core.FileFlagAdmin;
import dev.flags.core.FileFlagStore;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.spi.FlagStore;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The store, the client and the write API that {@link FlagsSettings} ask for, built and started
 * together and closed together. A framework adapter builds one at start-up and exposes its parts as
 * beans; it makes no choice of its own.
 *
 * {@snippet :
 * try (FlagsRuntime runtime = FlagsRuntime.builder(FlagsSettings.from(source)).build()) {
 *   Flags flags = runtime.flags();       // evaluate
 *   FlagAdmin admin = runtime.admin();   // write (read-only stores say why)
 *   HealthReport health = runtime.health();
 * }
 * }
 *
 * <p>What is built, by {@link FlagsSettings#store()}:
 *
 * <ul>
 *   <li>{@code properties}: an {@link InMemoryFlagStore} of {@code flags.static.*}, written through
 *       {@link InMemoryFlagStore#admin()} (changes last until restart);
 *   <li>{@code file}: a {@link FileFlagStore} of {@code flags.file.path}, with {@code
 *       flags.static.*} served until its first load; a classpath resource is read-only;
 *   <li>{@code redis}: the Redis store of flags-redis (which must be on the classpath), with {@code
 *       flags.static.*} served until its first load.
 * </ul>
 *
 * With {@code flags.guarded-rollouts.enabled} (the Redis store only), the client also flushes the
 * outcomes it records to Redis, each web request an adapter wraps counts as one ({@link
 * #requestOutcomes()}), and a guarded rollouts' controller runs ({@link #guardedRollouts(Class)});
 * docs/guarded-rollouts.md.
 *
 * <p>With {@code flags.fail-fast-timeout}, building waits for the store's first load and fails
 * (having closed everything) if it does not come in time.
 *
 * <p>It is built whatever {@link FlagsSettings#enabled()} says: an adapter builds none when {@code
 * flags.enabled=false}.
 *
 * <p>Thread-safe. Create one per application; {@link #close()} stops the guarded rollouts'
 * controller, closes the admin, then the client (which flushes the outcomes and closes the store).
 */
public final class FlagsRuntime implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(FlagsRuntime.class.getName());

  private final FlagsSettings settings;
  private final FlagStore store;
  private final TrackedStore tracker;
  private final Flags flags;
  private final FlagAdmin admin;
  private final String description;
  private final Clock clock;
  private final Optional<RequestOutcomes> requestOutcomes;
  private final Optional<AutoCloseable> controller;
  private final boolean controllerRunning;
  private final Optional<RolloutPlans> rolloutPlans;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FlagsRuntime(
      FlagsSettings settings,
      FlagStore store,
      TrackedStore tracker,
      Flags flags,
      FlagAdmin admin,
      String description,
      Clock clock,
      Optional<RequestOutcomes> requestOutcomes,
      Optional<AutoCloseable> controller,
      boolean controllerRunning) {
    this.settings = settings;
    this.store = store;
    this.tracker = tracker;
    this.flags = flags;
    this.admin = admin;
    this.description = description;
    this.clock = clock;
    this.requestOutcomes = requestOutcomes;
    this.controller = controller;
    this.controllerRunning = controllerRunning;
    this.rolloutPlans = controller.map(RedisStores::rolloutPlans);
  }

  /** Starts a builder over these settings. */
  public static Builder builder(FlagsSettings settings) {
    return new Builder(settings);
  }

  /** The settings this runtime was built from. */
  public FlagsSettings settings() {
    return settings;
  }

  /**
   * The store the client reads, as built (or as given to {@link Builder#store}): for metrics
   * binders that know a store's type. The client owns it; do not start or close it.
   */
  public FlagStore store() {
    return store;
  }

  /** The client, started. Closed by {@link #close()}. */
  public Flags flags() {
    return flags;
  }

  /**
   * The write API over the store; {@link FlagAdmin#readOnlyReason()} says why a store cannot be
   * written here. Closed by {@link #close()}.
   */
  public FlagAdmin admin() {
    return admin;
  }

  /** The health of the flags now. Cheap: it reads the client's state, never the store. */
  public HealthReport health() {
    return HealthReport.of(
        flags, description, tracker.malformed().size(), settings.healthFailOnUnavailable());
  }

  /** Where the flags are, for people; never contains a secret. */
  public String storeDescription() {
    return description;
  }

  /** The name of this instance: {@code flags.redis.instance-name}, by default {@code host-pid}. */
  public String instanceName() {
    return settings.redis().instanceName();
  }

  /**
   * When the store was last known to hold what the client serves: a Redis store's last sync, else
   * the last full load; empty before the first.
   */
  public Optional<Instant> lastSync() {
    if (settings.store() == StoreKind.REDIS && Classes.redisPresent()) {
      Optional<Instant> redis = RedisStores.lastSync(store);
      if (redis.isPresent()) {
        return redis;
      }
    }
    return tracker.lastFullLoad();
  }

  /** The clock kill dates and audit times are read by. */
  public Clock clock() {
    return clock;
  }

  /**
   * What counts web requests as outcomes of guarded rollouts: present when {@code
   * flags.guarded-rollouts.enabled} and {@code flags.guarded-rollouts.request-outcomes} are both
   * {@code true}. A framework adapter wraps each request in it (a servlet filter, a server filter);
   * it is registered with the client already. Closed by {@link #close()}.
   */
  public Optional<RequestOutcomes> requestOutcomes() {
    return requestOutcomes;
  }

  /**
   * The guarded rollouts' controller this instance runs, as {@code type}: present when {@code
   * flags.guarded-rollouts.enabled} and {@code flags.guarded-rollouts.controller} are both {@code
   * true} and {@code type} is flags-redis's {@code dev.flags.redis.GuardedRollouts} (or a type it
   * implements). Its {@code status}, {@code pause}, {@code resume} and {@code abort} work whether
   * or not this instance leads. Typed by the caller so that this layer does not name flags-redis,
   * an optional dependency. Closed by {@link #close()}.
   */
  public <T> Optional<T> guardedRollouts(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return controllerRunning
        ? controller.filter(type::isInstance).map(type::cast)
        : Optional.empty();
  }

  /**
   * The live side of guarded rollouts (status, pause, resume, abort) for the admin API and the
   * dashboard: present when {@code flags.guarded-rollouts.enabled} is {@code true}, whether or not
   * this instance runs the controller ({@code flags.guarded-rollouts.controller}), since any
   * instance may act on a plan's state in Redis.
   */
  public Optional<RolloutPlans> rolloutPlans() {
    return rolloutPlans;
  }

  /** Why the client serves this flag as malformed, if it does. */
  Optional<String> malformedProblem(String flagKey) {
    return tracker.malformed(flagKey);
  }

  /**
   * Stops the guarded rollouts' controller (giving up its lease), closes the admin, then the client
   * and its store. Idempotent; does not throw.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    controller.ifPresent(FlagsRuntime::closeQuietly);
    requestOutcomes.ifPresent(RequestOutcomes::close);
    try {
      admin.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing the flags admin failed: " + e);
    }
    flags.close();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "closing the guarded rollouts' controller failed: " + e);
    }
  }

  /**
   * Builds a {@link FlagsRuntime}: by default everything comes from the settings; an application
   * may bring its own store or admin. Not thread-safe.
   */
  public static final class Builder {
    private final FlagsSettings settings;
    private @Nullable FlagStore store;
    private @Nullable FlagAdmin admin;
    private Clock clock = Clock.systemUTC();
    private final List<EvaluationHook> hooks = new ArrayList<>();

    private Builder(FlagsSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Reads flags from this store instead of the one the settings choose ({@code flags.static.*}
     * are then served until its first load). An {@link InMemoryFlagStore} is written through its
     * own admin; any other is read-only unless an {@link #admin} is given too.
     */
    public Builder store(FlagStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Writes through this admin instead of the one that matches the store; it is closed too. */
    public Builder admin(FlagAdmin admin) {
      this.admin = Objects.requireNonNull(admin, "admin");
      return this;
    }

    /** The clock of kill dates and audit times (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a hook that sees every evaluation (metrics). */
    public Builder evaluationHook(EvaluationHook hook) {
      hooks.add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /**
     * Builds the store, starts the client over it (waiting with {@code flags.fail-fast-timeout})
     * and builds the admin.
     *
     * @throws FlagsConfigurationException naming the setting at fault, after closing what was built
     */
    public FlagsRuntime build() {
      StoreKind kind = settings.store();
      FlagStore built = store;
      String description;
      if (built != null) {
        description =
            built instanceof InMemoryFlagStore
                ? "in memory (the application's own store)"
                : "the application's own store (" + built.getClass().getName() + ")";
      } else {
        switch (kind) {
          case PROPERTIES -> {
            built = InMemoryFlagStore.of(settings.staticFlags());
            description = "properties (flags.static.*, in memory)";
          }
          case FILE -> {
            built = fileStore(settings.file());
            description = "file " + settings.file().path().orElseThrow();
          }
          default -> {
            built = RedisStores.store(settings.redis(), clock);
            description = RedisStores.describe(settings.redis());
          }
        }
      }
      TrackedStore tracker = new TrackedStore(built, clock);
      boolean staticIsTheStore = store == null && kind == StoreKind.PROPERTIES;
      Flags.Builder client =
          Flags.builder()
              .store(tracker)
              .clock(clock)
              .bootstrap(staticIsTheStore ? FlagSet.EMPTY : settings.staticFlags());
      hooks.forEach(client::evaluationHook);
      FlagsSettings.GuardedRollouts guarded = settings.guardedRollouts();
      // The binder allows enabled only with the Redis store, so flags-redis is present.
      Optional<RequestOutcomes> outcomes =
          guarded.enabled() && guarded.requestOutcomes()
              ? Optional.of(new RequestOutcomes())
              : Optional.empty();
      if (guarded.enabled()) {
        client
            .outcomeSink(RedisStores.outcomeSink(settings.redis()))
            .outcomeFlushInterval(guarded.outcomeFlushInterval());
      }
      outcomes.ifPresent(client::evaluationHook);
      settings.failFastTimeout().ifPresent(client::failFast);
      Flags flags;
      try {
        flags = client.build();
      } catch (IllegalStateException e) {
        throw new FlagsConfigurationException(
            Setting.FAIL_FAST_TIMEOUT.key(),
            Durations.format(settings.failFastTimeout().orElseThrow()),
            "was not enough for the first load of the store ("
                + description
                + "): "
                + e.getMessage(),
            "Check that the store is reachable, raise flags.fail-fast-timeout, or remove it to"
                + " start without waiting (flags then serve flags.static.* or callers' defaults"
                + " until the store loads).",
            e);
      }
      outcomes.ifPresent(o -> o.attach(flags));
      FlagAdmin chosen;
      try {
        chosen = admin != null ? admin : admin(built, tracker, flags, description);
      } catch (RuntimeException e) {
        outcomes.ifPresent(RequestOutcomes::close);
        flags.close();
        throw e;
      }
      Optional<AutoCloseable> controller = Optional.empty();
      if (guarded.enabled()) {
        try {
          // Not started when this instance must not lead: it still serves the plans' state.
          controller =
              Optional.of(RedisStores.guardedRollouts(settings, clock, guarded.controller()));
        } catch (RuntimeException e) {
          outcomes.ifPresent(RequestOutcomes::close);
          chosen.close();
          flags.close();
          throw e;
        }
      }
      LOG.log(
          Level.INFO,
          "flags: "
              + description
              + chosen
                  .readOnlyReason()
                  .map(r -> "; admin read-only: " + r)
                  .orElse("; admin writable")
              + (guarded.enabled()
                  ? "; guarded rollouts: outcomes to Redis"
                      + (outcomes.isPresent() ? ", web requests counted" : "")
                      + (guarded.controller() ? ", controller running" : "")
                  : ""));
      return new FlagsRuntime(
          settings,
          built,
          tracker,
          flags,
          chosen,
          description,
          clock,
          outcomes,
          controller,
          guarded.controller());
    }

    private FlagAdmin admin(
        FlagStore built, TrackedStore tracker, Flags flags, String description) {
      Function<String, FlagAdmin> readOnly =
          reason -> FlagAdmin.over(new ReadOnlyRepository(flags, tracker, description, reason));
      if (built instanceof InMemoryFlagStore memory) {
        return memory.admin(clock);
      }
      if (store != null) {
        return readOnly.apply(
            "the application's own store has no write API here; give the runtime a FlagAdmin"
                + " (a FlagAdmin bean) to write through this API");
      }
      if (settings.store() == StoreKind.FILE) {
        if (settings.file().isClasspath()) {
          return readOnly.apply(
              "flags.file.path names a classpath resource ("
                  + settings.file().path().orElseThrow()
                  + "), which cannot be written; point flags.file.path at a file to edit flags"
                  + " here");
        }
        // FileFlagAdmin refuses writes itself, with its reason, on a read-only file system.
        return FileFlagAdmin.builder(SettingsBinder.filePath(settings.file().path().orElseThrow()))
            .build();
      }
      return RedisStores.admin(settings.redis());
    }

    private static FlagStore fileStore(FlagsSettings.File file) {
      String path = file.path().orElseThrow();
      FileFlagStore.Builder builder = FileFlagStore.builder().pollInterval(file.pollInterval());
      if (file.isClasspath()) {
        builder.classpathResource(path.substring(FlagsSettings.File.CLASSPATH_PREFIX.length()));
      } else {
        Path p = SettingsBinder.filePath(path);
        builder.path(p).watch(file.watch());
      }
      return builder.build();
    }
  }
}
