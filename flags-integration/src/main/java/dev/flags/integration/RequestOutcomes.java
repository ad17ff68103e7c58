package dev.flags.integration;

import dev.flags.core.EvaluationHook;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.Subscription;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of web requests for guarded rollouts, with nothing for the application to do: while a
 * request runs, this {@link EvaluationHook} notes each flag with a {@code guardedRollout} plan the
 * request evaluated and the variation it was served; when the request ends, each counts once
 * ({@link Flags#recordVariationOutcome}) as an error when the response is a 5xx or the handler
 * threw, as a success otherwise, with the request's latency. docs/guarded-rollouts.md.
 *
 * <p>{@link FlagsRuntime} builds one when {@code flags.guarded-rollouts.enabled} and {@code
 * flags.guarded-rollouts.request-outcomes} say so ({@link FlagsRuntime#requestOutcomes()}); a
 * framework adapter wraps each request in {@link #begin()} … {@link Scope#end}, or opens its scope
 * with {@link #open()}, {@link Scope#enter enters} it on each thread that runs the request's code
 * and ends it when the response is known (the Spring Boot starter's servlet filter enters it for
 * the filter chain; flags-micronaut's server filter through Micronaut's propagated context). Built
 * by hand, it is registered with {@link FlagsRuntime.Builder#evaluationHook} and {@link #attach}es
 * the built client. Work a request hands to a thread the adapter does not know of is not seen. At
 * most {@link #MAX_FLAGS_PER_REQUEST} guarded flags are noted per request.
 *
 * <p>Thread-safe; a {@link Scope} is used by one thread at a time.
 */
public final class RequestOutcomes implements EvaluationHook, AutoCloseable {

  /** The most guarded flags one request notes; more are not counted. */
  public static final int MAX_FLAGS_PER_REQUEST = 16;

  // Per instance on purpose: a request's scope belongs to the application's one RequestOutcomes,
  // which lives as long as the application.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<Scope> current = new ThreadLocal<>();

  private volatile Set<String> guarded = Set.of();
  private volatile @Nullable Flags flags; // null until attached
  private volatile @Nullable Subscription subscription;

  /** Follows {@code flags}: its guarded flags, and where the outcomes go. */
  public synchronized void attach(Flags flags) {
    this.flags = Objects.requireNonNull(flags, "flags");
    refresh();
    // The set of guarded flags is rebuilt on each change, off the hot path.
    this.subscription =
        flags.addListener(
            new FlagListener() {
              @Override
              public void onFlagChanged(String flagKey) {
                refresh();
              }

              @Override
              public void onStatusChanged(dev.flags.core.StoreStatus status) {
                refresh(); // the first load comes as a status change
              }
            });
  }

  private void refresh() {
    Flags following = flags;
    if (following == null) {
      return; // not attached yet
    }
    Set<String> keys = new HashSet<>();
    for (Flag f : following.allFlags()) {
      if (f.guardedRollout().isPresent()) {
        keys.add(f.key());
      }
    }
    guarded = Set.copyOf(keys);
  }

  /** Starts following a request on this thread; end it with {@link Scope#end}. */
  public Scope begin() {
    Scope s = open();
    current.set(s);
    return s;
  }

  /**
   * Starts following a request that runs on no thread yet: {@link Scope#enter} it on each thread
   * that runs the request's code, and end it with {@link Scope#end} (from any thread).
   */
  public Scope open() {
    return new Scope(System.nanoTime());
  }

  @Override
  public void onEvaluation(String flagKey, int variationIndex, EvaluationReason.Kind reason) {
    if (variationIndex < 0) {
      return;
    }
    Scope s = current.get();
    if (s != null && guarded.contains(flagKey)) {
      s.note(flagKey, variationIndex);
    }
  }

  @Override
  public void close() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
  }

  /** One request: the guarded flags it evaluated and when it began. Not thread-safe. */
  public final class Scope {
    private final long startNanos;
    private final String[] keys = new String[MAX_FLAGS_PER_REQUEST];
    private final int[] variations = new int[MAX_FLAGS_PER_REQUEST];
    private int size;
    private boolean ended;

    private Scope(long startNanos) {
      this.startNanos = startNanos;
    }

    private void note(String key, int variation) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key) && variations[i] == variation) {
          return; // once per flag and variation served, however often it was evaluated
        }
      }
      if (size < keys.length) {
        keys[size] = key;
        variations[size] = variation;
        size++;
      }
    }

    /**
     * Makes this request the calling thread's until the binding is closed, which gives the thread
     * back what it followed before (usually nothing). For adapters whose requests move between
     * threads.
     */
    public Binding enter() {
      Scope previous = current.get();
      current.set(this);
      return new Binding(this, previous);
    }

    /**
     * Ends the request and counts its outcome for every guarded flag it evaluated. Idempotent.
     *
     * @param status the HTTP status of the response
     * @param threw whether the handler ended with an exception (an error whatever the status)
     */
    public void end(int status, boolean threw) {
      if (ended) {
        return;
      }
      ended = true;
      if (current.get() == this) {
        current.remove();
      }
      Flags f = flags;
      if (f == null || size == 0) {
        return;
      }
      boolean success = !threw && status < 500;
      Duration latency = Duration.ofNanos(System.nanoTime() - startNanos);
      for (int i = 0; i < size; i++) {
        f.recordVariationOutcome(keys[i], variations[i], success, latency);
      }
    }
  }

  /**
   * A thread following a request, from {@link Scope#enter} until {@link #close()}. Not thread-safe:
   * close it on the thread that entered.
   */
  public final class Binding implements AutoCloseable {
    private final Scope scope;
    private final Scope previous;
    private boolean closed;

    private Binding(Scope scope, Scope previous) {
      this.scope = scope;
      this.previous = previous;
    }

    /** Gives the thread back what it followed before {@link Scope#enter}. Idempotent. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (previous == null) {
        current.remove();
      } else {
        current.set(previous);
      }
    }

    /** The request this binding follows. */
    public Scope scope() {
      return scope;
    }
  }
}
