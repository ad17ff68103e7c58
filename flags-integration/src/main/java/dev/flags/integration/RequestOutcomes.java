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
 * <p>An adapter registers it with {@link FlagsRuntime.Builder#evaluationHook}, {@link #attach}es
 * the built client, and wraps each request in {@link #begin()} … {@link Scope#end}. Requests are
 * followed on their thread: work a request hands to another thread is not seen. At most {@link
 * #MAX_FLAGS_PER_REQUEST} guarded flags are noted per request.
 *
 * <p>Thread-safe; a {@link Scope} belongs to its request's thread.
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
    Scope s = new Scope(System.nanoTime());
    current.set(s);
    return s;
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
}
