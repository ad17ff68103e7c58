package dev.flags.openfeature;

import dev.flags.core.EvaluationDetail;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.core.StoreStatus;
import dev.flags.core.Subscription;
import dev.flags.openfeature.Resolutions.FlagInfo;
import dev.openfeature.sdk.Awaitable;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.GeneralError;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An OpenFeature provider over a {@link Flags} client, whatever its store (in memory, a file,
 * Redis): applications that code against the OpenFeature API evaluate our flags without knowing
 * this SDK.
 *
 * {@snippet file="dev/flags/openfeature/ProviderExamplesTest.java" region="set-up"}
 *
 * <p>Resolution: boolean, string, integer, long, double and object flags, with the variant (the
 * index of the variation served), OpenFeature's reason, error code and the flag's metadata (owner,
 * kill date, tags…). Evaluation never throws: every failure is a {@code ProviderEvaluation} with an
 * error code and the caller's default.
 *
 * <p>Life cycle: {@link #initialize} waits for the store's first load, at most {@link
 * Builder#initializationTimeout}; afterwards the provider's state follows the store's status
 * ({@code OK} → READY, {@code STALE} or {@code DATA_LOST} → STALE, {@code UNAVAILABLE} → ERROR),
 * and every change of a flag is a {@code PROVIDER_CONFIGURATION_CHANGED} event naming its key. The
 * client belongs to the application: {@link #shutdown()} stops the events and closes the client
 * only with {@link Builder#closeClientOnShutdown}. Like every OpenFeature event provider, an
 * instance serves one registration: after {@code shutdown}, build a new one.
 *
 * <p>Thread-safe.
 */
public final class FlagsProvider extends EventProvider {

  /** The provider's name in OpenFeature's metadata and events. */
  public static final String NAME = "flags";

  /**
   * The key of the context of a caller with no targeting key: such a context is anonymous, so it
   * matches no individual target, and every such caller gets the same rollout bucket.
   */
  public static final String ANONYMOUS_KEY = "openfeature-anonymous";

  /** How long {@link #initialize} waits for the store by default. */
  public static final Duration DEFAULT_INITIALIZATION_TIMEOUT = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger("dev.flags.openfeature");
  private static final Metadata METADATA = () -> NAME;

  private final Flags flags;
  private final Duration initializationTimeout;
  private final boolean closeClientOnShutdown;
  private final ContextMapping contexts = new ContextMapping();
  private final Resolutions resolutions;

  private final Object lock = new Object();
  private @Nullable Subscription subscription; // guarded by lock; null when not listening
  private @Nullable StoreStatus reported; // guarded by lock: the status the last event said
  private boolean shutDown; // guarded by lock

  private FlagsProvider(Builder b) {
    this.flags = b.flags;
    this.initializationTimeout = b.initializationTimeout;
    this.closeClientOnShutdown = b.closeClientOnShutdown;
    this.resolutions = new Resolutions(flags);
  }

  /** A provider over {@code flags} with the default settings. */
  public static FlagsProvider of(Flags flags) {
    return builder(flags).build();
  }

  /**
   * Starts a provider builder over {@code flags}.
   *
   * @throws NullPointerException if {@code flags} is null
   */
  public static Builder builder(Flags flags) {
    return new Builder(flags);
  }

  /** The client this provider evaluates with. */
  public Flags flags() {
    return flags;
  }

  @Override
  public Metadata getMetadata() {
    return METADATA;
  }

  // ---- resolution -------------------------------------------------------------------------

  // Each method: what we know of the flag first (a static or off flag needs no context, so the
  // caller's is not converted), then the evaluation, then the mapping. When the flag changed in
  // between and its context was skipped, it is evaluated again with the context: the skip is
  // only for a definition that cannot use it.

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, EvaluationContext ctx) {
    boolean fallback = Boolean.TRUE.equals(defaultValue);
    FlagInfo info = resolutions.info(key);
    dev.flags.core.EvaluationContext c = context(info, ctx);
    EvaluationDetail<Boolean> d = flags.getBooleanDetail(key, c, fallback);
    if (changed(key, info, c)) {
      info = resolutions.info(key);
      d = flags.getBooleanDetail(key, contexts.toFlags(ctx), fallback);
    }
    return resolutions.resolve(key, d, d.isDefaultValue() ? defaultValue : d.value(), info);
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(
      String key, String defaultValue, EvaluationContext ctx) {
    String fallback = defaultValue == null ? "" : defaultValue;
    FlagInfo info = resolutions.info(key);
    dev.flags.core.EvaluationContext c = context(info, ctx);
    EvaluationDetail<String> d = flags.getStringDetail(key, c, fallback);
    if (changed(key, info, c)) {
      info = resolutions.info(key);
      d = flags.getStringDetail(key, contexts.toFlags(ctx), fallback);
    }
    return resolutions.resolve(key, d, d.isDefaultValue() ? defaultValue : d.value(), info);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, EvaluationContext ctx) {
    int fallback = defaultValue == null ? 0 : defaultValue;
    FlagInfo info = resolutions.info(key);
    dev.flags.core.EvaluationContext c = context(info, ctx);
    EvaluationDetail<Integer> d = flags.getIntDetail(key, c, fallback);
    if (changed(key, info, c)) {
      info = resolutions.info(key);
      d = flags.getIntDetail(key, contexts.toFlags(ctx), fallback);
    }
    return resolutions.resolve(key, d, d.isDefaultValue() ? defaultValue : d.value(), info);
  }

  @Override
  public ProviderEvaluation<Long> getLongEvaluation(
      String key, Long defaultValue, EvaluationContext ctx) {
    long fallback = defaultValue == null ? 0L : defaultValue;
    FlagInfo info = resolutions.info(key);
    dev.flags.core.EvaluationContext c = context(info, ctx);
    EvaluationDetail<Long> d = flags.getLongDetail(key, c, fallback);
    if (changed(key, info, c)) {
      info = resolutions.info(key);
      d = flags.getLongDetail(key, contexts.toFlags(ctx), fallback);
    }
    return resolutions.resolve(key, d, d.isDefaultValue() ? defaultValue : d.value(), info);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, EvaluationContext ctx) {
    double fallback = defaultValue == null ? 0.0 : defaultValue;
    FlagInfo info = resolutions.info(key);
    dev.flags.core.EvaluationContext c = context(info, ctx);
    EvaluationDetail<Double> d = flags.getDoubleDetail(key, c, fallback);
    if (changed(key, info, c)) {
      info = resolutions.info(key);
      d = flags.getDoubleDetail(key, contexts.toFlags(ctx), fallback);
    }
    return resolutions.resolve(key, d, d.isDefaultValue() ? defaultValue : d.value(), info);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, EvaluationContext ctx) {
    FlagInfo info = resolutions.info(key);
    dev.flags.core.EvaluationContext c = context(info, ctx);
    EvaluationDetail<JsonValue> d = flags.getJsonDetail(key, c, JsonValue.NULL);
    if (changed(key, info, c)) {
      info = resolutions.info(key);
      d = flags.getJsonDetail(key, contexts.toFlags(ctx), JsonValue.NULL);
    }
    return resolutions.resolve(
        key, d, d.isDefaultValue() ? defaultValue : resolutions.objectValue(d, info), info);
  }

  private dev.flags.core.EvaluationContext context(@Nullable FlagInfo info, EvaluationContext ctx) {
    return info != null && info.contextFree ? ContextMapping.NO_CONTEXT : contexts.toFlags(ctx);
  }

  /** Whether the context was skipped for a definition that is no longer the flag's. */
  // NO_CONTEXT is a sentinel: the identity is what tells that the context was skipped.
  @SuppressWarnings("ReferenceEquality")
  private boolean changed(
      String key, @Nullable FlagInfo info, dev.flags.core.EvaluationContext used) {
    return info != null
        && info.contextFree
        && used == ContextMapping.NO_CONTEXT
        && !resolutions.isCurrent(key, info);
  }

  // ---- life cycle and events --------------------------------------------------------------

  /**
   * Listens to the client, then waits for the store's first load, at most the initialization
   * timeout.
   *
   * @throws ProviderNotReadyError when the store has not loaded in time; OpenFeature then reports
   *     the provider in ERROR, evaluations serve defaults with {@code PROVIDER_NOT_READY}, and a
   *     later load makes it READY
   * @throws GeneralError when the provider was shut down
   */
  @Override
  public void initialize(EvaluationContext evaluationContext) throws Exception {
    synchronized (lock) {
      if (shutDown) {
        throw new GeneralError("this FlagsProvider was shut down; build a new one");
      }
      if (subscription == null) {
        reported = null;
        subscription = flags.addListener(new Listener());
      }
    }
    if (!flags.awaitInitialization(initializationTimeout)) {
      StoreStatus status = flags.status();
      String detail = flags.statusDetail();
      throw new ProviderNotReadyError(
          "flag store not loaded within "
              + initializationTimeout
              + " (status "
              + status
              + (detail.isEmpty() ? "" : ": " + detail)
              + ")");
    }
    StoreStatus status = flags.status();
    synchronized (lock) {
      // OpenFeature reports READY when this method returns; a store that loaded but is not OK
      // (served from a snapshot while its source is down) is reported as it is.
      reported = StoreStatus.OK;
    }
    if (status != StoreStatus.OK) {
      // not awaited: OpenFeature holds its lock while it initializes, and the event needs it
      statusChanged(status, false);
    }
  }

  /**
   * Stops the events; closes the client too with {@link Builder#closeClientOnShutdown}. Idempotent.
   */
  @Override
  public void shutdown() {
    Subscription s;
    synchronized (lock) {
      if (shutDown) {
        return;
      }
      shutDown = true;
      s = subscription;
      subscription = null;
    }
    if (s != null) {
      s.close();
    }
    super.shutdown();
    if (closeClientOnShutdown) {
      flags.close();
    }
  }

  private void statusChanged(StoreStatus status, boolean await) {
    State next = State.of(status);
    if (next == null) {
      return;
    }
    synchronized (lock) {
      if (shutDown || (reported != null && State.of(reported) == next)) {
        return;
      }
      reported = status;
    }
    String detail = flags.statusDetail();
    ProviderEventDetails.ProviderEventDetailsBuilder<?, ?> event =
        ProviderEventDetails.builder()
            .message("flag store " + status + (detail.isEmpty() ? "" : ": " + detail));
    switch (next) {
      case READY -> send(() -> emitProviderReady(event.build()), await);
      case STALE -> send(() -> emitProviderStale(event.build()), await);
      case ERROR ->
          send(() -> emitProviderError(event.errorCode(ErrorCode.GENERAL).build()), await);
    }
  }

  private void flagChanged(String key, String message) {
    resolutions.changed(key);
    ProviderEventDetails event =
        ProviderEventDetails.builder().flagsChanged(List.of(key)).message(message).build();
    send(() -> emitProviderConfigurationChanged(event), true);
  }

  /**
   * Emits an event. OpenFeature delivers each on a thread of a pool, so two events in a row could
   * be applied in the wrong order (a STALE after the READY that followed it); from the client's
   * listener thread, which tells us of changes one at a time, each is therefore awaited before the
   * next.
   */
  private void send(Supplier<Awaitable> emit, boolean await) {
    synchronized (lock) {
      if (shutDown) {
        return;
      }
    }
    try {
      Awaitable done = emit.get();
      if (await) {
        done.await();
      }
    } catch (RejectedExecutionException e) {
      // shut down meanwhile: the event has nobody to reach
      LOG.log(Level.DEBUG, "OpenFeature event dropped after shutdown", e);
    }
  }

  /** The OpenFeature states the store's statuses map to. */
  private enum State {
    READY,
    STALE,
    ERROR;

    static @Nullable State of(StoreStatus s) {
      return switch (s) {
        case OK -> READY;
        case STALE, DATA_LOST -> STALE;
        case UNAVAILABLE -> ERROR;
        case INITIALIZING -> null;
      };
    }
  }

  private final class Listener implements FlagListener {
    @Override
    public void onFlagChanged(String flagKey) {
      flagChanged(flagKey, "flag " + flagKey + " changed");
    }

    @Override
    public void onMalformedFlag(String flagKey, String problem) {
      flagChanged(flagKey, "flag " + flagKey + " is malformed: " + problem);
    }

    @Override
    public void onStatusChanged(StoreStatus status) {
      statusChanged(status, true);
    }
  }

  /** Builds a {@link FlagsProvider}. Not thread-safe. */
  public static final class Builder {
    private final Flags flags;
    private Duration initializationTimeout = DEFAULT_INITIALIZATION_TIMEOUT;
    private boolean closeClientOnShutdown;

    private Builder(Flags flags) {
      this.flags = Objects.requireNonNull(flags, "flags");
    }

    /**
     * How long {@link FlagsProvider#initialize} waits for the store's first load (default {@link
     * #DEFAULT_INITIALIZATION_TIMEOUT}); zero checks once without waiting.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Builder initializationTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "initializationTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException(
            "initializationTimeout must not be negative, got " + timeout);
      }
      this.initializationTimeout = timeout;
      return this;
    }

    /**
     * Whether {@link FlagsProvider#shutdown()} also closes the client (default {@code false}: the
     * application, or its framework, owns the client and closes it).
     */
    public Builder closeClientOnShutdown(boolean close) {
      this.closeClientOnShutdown = close;
      return this;
    }

    /** Builds the provider; it starts listening to the client when OpenFeature initializes it. */
    public FlagsProvider build() {
      return new FlagsProvider(this);
    }
  }
}
