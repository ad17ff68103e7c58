package dev.flags.cli;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.Flag;
import dev.flags.core.FlagListener;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.JsonValue;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagRecord;
import dev.flags.core.admin.ImportPlan;
import dev.flags.core.admin.RestorePoint;
import dev.flags.core.admin.VersionedSegment;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.FlagStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A store written through flags-core's {@link FlagAdmin}: a flag file or Redis. {@code watch} runs
 * a {@link Flags} client over the store itself ({@code stores}), so changes arrive the way an
 * application hears them: file events, Redis pub/sub and keyspace notifications.
 */
final class AdminBackend implements Backend {

  /** How long watch waits for the store's first load. */
  static final Duration WATCH_START = Duration.ofSeconds(10);

  private static final FlagCodec CODEC = FlagCodec.standard();

  private final FlagAdmin admin;
  private final Supplier<FlagStore> stores;
  private final Supplier<List<String>> adopter;
  private final Clock clock;
  private final Supplier<Optional<CliException>> writeCheck;
  private final boolean isFile;
  private final Optional<RolloutControl> rollouts;

  /**
   * The state of guarded rollout plans, where the controller keeps it (Redis): read and changed
   * like an operator does, without leading the controller. Functions, so that the Redis code that
   * makes them stays in {@link RedisStores}. Used by one thread.
   *
   * @param status where a flag's plan is
   * @param act pause, resume or abort; whether the plan's state allowed it
   * @param close closes what the functions opened
   */
  record RolloutControl(Function<String, PlanStatus> status, Act act, Runnable close) {
    /** Pause, resume or abort a flag's plan as an actor, with a reason. */
    @FunctionalInterface
    interface Act {
      boolean act(String key, String action, String actor, String reason);
    }
  }

  /**
   * @param stores the store to watch
   * @param adopter indexes raw keys (Redis)
   * @param writeCheck why a write cannot happen, checked before each write
   * @param isFile whether this is a flag file (adopt then has nothing to do)
   */
  AdminBackend(
      FlagAdmin admin,
      Supplier<FlagStore> stores,
      Supplier<List<String>> adopter,
      Clock clock,
      Supplier<Optional<CliException>> writeCheck,
      boolean isFile) {
    this(admin, stores, adopter, clock, writeCheck, isFile, Optional.empty());
  }

  /**
   * @param rollouts guarded rollouts' state, when the store keeps it (Redis)
   */
  AdminBackend(
      FlagAdmin admin,
      Supplier<FlagStore> stores,
      Supplier<List<String>> adopter,
      Clock clock,
      Supplier<Optional<CliException>> writeCheck,
      boolean isFile,
      Optional<RolloutControl> rollouts) {
    this.rollouts = rollouts;
    this.admin = admin;
    this.stores = stores;
    this.adopter = adopter;
    this.clock = clock;
    this.writeCheck = writeCheck;
    this.isFile = isFile;
  }

  private void checkWritable() {
    Optional<CliException> refused = writeCheck.get();
    if (refused.isPresent()) {
      throw refused.get();
    }
  }

  @Override
  public String description() {
    return admin.description();
  }

  @Override
  public Optional<String> readOnlyReason() {
    return admin.readOnlyReason();
  }

  @Override
  public List<Summary> list() {
    return admin.list().stream().map(r -> state(r).summary()).toList();
  }

  @Override
  public Optional<FlagState> find(String key) {
    return admin.find(key).map(this::state);
  }

  private FlagState state(FlagRecord r) {
    if (r.isMalformed()) {
      return new FlagState(
          r.key(),
          r.version(),
          Optional.empty(),
          Optional.empty(),
          r.storedValue(),
          Summary.malformed(
              r.key(),
              r.version(),
              r.problem().orElseThrow(),
              r.lastChange(),
              r.killedByRawEdit()));
    }
    Flag f = r.flag().orElseThrow();
    return new FlagState(
        r.key(),
        r.version(),
        Optional.of(f),
        Optional.of(expand(f, r.storedValue())),
        r.storedValue(),
        Summary.of(f, r.version(), r.lastChange(), r.killedByRawEdit(), clock.instant()));
  }

  /** The stored object; a bare true/false in its full form. */
  static JsonValue.Obj expand(Flag f, String stored) {
    String t = stored.strip();
    if (!t.equals("true") && !t.equals("false") && CODEC.parse(t) instanceof JsonValue.Obj o) {
      return o;
    }
    return (JsonValue.Obj) CODEC.parse(CODEC.encode(f));
  }

  private static Change change(Write w) {
    Change c = Change.by(w.actor()).because(w.reason());
    return w.ifVersion().isPresent() ? c.ifVersion(w.ifVersion().getAsLong()) : c;
  }

  private FlagState after(String key) {
    return find(key)
        .orElseThrow(
            () ->
                new CliException(
                    Exit.CONFLICT, "flag \"" + key + "\" was deleted right after the write"));
  }

  @Override
  public FlagState setOn(String key, boolean on, Write write) {
    checkWritable();
    admin.setOn(key, on, change(write));
    return after(key);
  }

  @Override
  public FlagState setRollout(String key, double percent, Write write) {
    checkWritable();
    admin.setRolloutPercentage(key, percent, change(write));
    return after(key);
  }

  @Override
  public FlagState targets(
      String key,
      boolean add,
      Optional<Integer> variation,
      Optional<Boolean> value,
      Collection<String> contextKeys,
      Write write) {
    checkWritable();
    if (variation.isPresent()) {
      if (add) {
        admin.addTargets(key, variation.get(), contextKeys, change(write));
      } else {
        admin.removeTargets(key, variation.get(), contextKeys, change(write));
      }
    } else if (add) {
      admin.addTargets(key, value.orElse(true), contextKeys, change(write));
    } else {
      Flag f = admin.get(key).orElseThrow().flag();
      admin.removeTargets(key, booleanIndex(f, value.orElse(true)), contextKeys, change(write));
    }
    return after(key);
  }

  static int booleanIndex(Flag f, boolean value) {
    int i = f.variations().indexOf(JsonValue.of(value));
    if (i < 0 || !f.isBoolean()) {
      throw CliException.invalid(
          "flag \""
              + f.key()
              + "\" is not a boolean flag: name the variation with --variation N (0 to "
              + (f.variations().size() - 1)
              + ")");
    }
    return i;
  }

  @Override
  public FlagState restore(String key, RestorePoint point, Write write) {
    checkWritable();
    admin.restore(key, point, change(write));
    return after(key);
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    return admin.audit(query);
  }

  @Override
  public ImportPlan plan(FlagSet set, boolean prune) {
    return admin.planImport(set, prune);
  }

  @Override
  public List<AuditEntry> apply(ImportPlan plan, Write write) {
    checkWritable();
    return admin.applyImport(plan, change(write));
  }

  @Override
  public Export export() {
    Map<String, JsonValue> flags = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (FlagRecord r : admin.list()) {
      if (r.isMalformed()) {
        skipped.add(r.key() + ": " + r.problem().orElseThrow());
        continue;
      }
      String t = r.storedValue().strip();
      flags.put(
          r.key(),
          t.equals("true") || t.equals("false")
              ? JsonValue.of(t.equals("true"))
              : expand(r.flag().orElseThrow(), t));
    }
    Map<String, JsonValue> segments = new LinkedHashMap<>();
    for (VersionedSegment s : admin.segments()) {
      segments.put(s.segment().key(), CODEC.parse(CODEC.encode(s.segment())));
    }
    Map<String, JsonValue> doc = new LinkedHashMap<>();
    doc.put("flags", new JsonValue.Obj(flags));
    doc.put("segments", new JsonValue.Obj(segments));
    return new Export(new JsonValue.Obj(doc), skipped);
  }

  @Override
  public Explanation explain(String key, EvaluationContext context) {
    FlagState state =
        find(key)
            .orElseThrow(
                () ->
                    new dev.flags.core.admin.FlagNotFoundException(
                        dev.flags.core.admin.DefinitionKind.FLAG, key));
    Logs.quiet();
    InMemoryFlagStore store = InMemoryFlagStore.empty();
    for (VersionedSegment s : admin.segments()) {
      store.upsert(s.segment());
    }
    for (FlagRecord r : admin.list()) {
      r.flag().ifPresent(store::upsert);
    }
    if (state.flag().isEmpty()) {
      return Explain.malformed(key, context, state.summary().malformed().orElse("?"));
    }
    try (Flags flags = Flags.builder().store(store).clock(clock).build()) {
      EvaluationDetail<JsonValue> d = flags.getJsonDetail(key, context, JsonValue.NULL);
      return Explain.of(state.flag().get(), context, d);
    }
  }

  @Override
  public AutoCloseable watch(WatchListener listener) {
    Logs.quiet();
    FlagStore store = stores.get();
    Flags flags = Flags.builder().store(store).clock(clock).build();
    java.util.concurrent.atomic.AtomicBoolean troubled =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CountDownLatch ok = new java.util.concurrent.CountDownLatch(1);
    flags.addListener(
        new FlagListener() {
          @Override
          public void onFlagChanged(String flagKey) {
            listener.changed(flagKey);
          }

          @Override
          public void onStoreError(StoreStatus status, String problem) {
            troubled.set(true);
            listener.problem(problem);
          }

          @Override
          public void onMalformedFlag(String flagKey, String problem) {
            listener.changed(flagKey);
          }

          @Override
          public void onStatusChanged(StoreStatus status) {
            if (status == StoreStatus.OK) {
              ok.countDown();
              if (troubled.getAndSet(false)) {
                listener.recovered(flags.statusDetail());
              }
            } else if (status != StoreStatus.INITIALIZING && !troubled.getAndSet(true)) {
              listener.problem(status + ": " + flags.statusDetail());
            }
          }
        });
    if (!flags.awaitInitialization(WATCH_START)) {
      String detail = flags.statusDetail();
      flags.close();
      throw CliException.unreachable(
          "cannot watch " + description() + ": " + detail + "; check that the store is reachable");
    }
    // A store is initialized by its first load, and OK once it listens for changes (Redis:
    // subscribed): a change between the two would not be heard, so watching starts at OK.
    try {
      if (flags.status() != StoreStatus.OK) {
        ok.await(WATCH_START.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return flags;
  }

  @Override
  public List<String> adopt() {
    if (isFile) {
      return List.of();
    }
    checkWritable();
    return adopter.get();
  }

  @Override
  public boolean keepsPlans() {
    return rollouts.isPresent();
  }

  @Override
  public PlanStatus planStatus(String key) {
    return rollouts.orElseThrow(() -> PlanStatus.needsRedis(description())).status().apply(key);
  }

  @Override
  public PlanStatus planAction(String key, String action, Write write) {
    RolloutControl r = rollouts.orElseThrow(() -> PlanStatus.needsRedis(description()));
    if (!r.act().act(key, action, write.actor(), write.reason())) {
      throw PlanStatus.refused(key, action, r.status().apply(key).state());
    }
    return r.status().apply(key);
  }

  @Override
  public void close() {
    try {
      rollouts.ifPresent(r -> r.close().run());
    } finally {
      admin.close();
    }
  }
}
