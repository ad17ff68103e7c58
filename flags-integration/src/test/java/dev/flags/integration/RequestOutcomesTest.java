package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.GuardedRollout;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.spi.OutcomeBatch;
import dev.flags.core.spi.OutcomeCounts;
import dev.flags.core.spi.OutcomeSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** A request's guarded flags count once each, as an error on 5xx or an exception. */
class RequestOutcomesTest {

  static final class Recording implements OutcomeSink {
    final List<OutcomeBatch> batches = new ArrayList<>();

    @Override
    public synchronized void publish(OutcomeBatch batch) {
      batches.add(batch);
    }

    synchronized OutcomeCounts total(String flag, int variation) {
      OutcomeCounts sum = OutcomeCounts.none(flag, variation);
      for (OutcomeBatch b : batches) {
        for (OutcomeCounts c : b.counts()) {
          if (c.flagKey().equals(flag) && c.variation() == variation) {
            sum = sum.plus(c);
          }
        }
      }
      return sum;
    }
  }

  @Test
  void eachRequestCountsOncePerGuardedFlagAsErrorOn5xxOrException() {
    Recording sink = new Recording();
    RequestOutcomes outcomes = new RequestOutcomes();
    InMemoryFlagStore store =
        InMemoryFlagStore.of(
            Flag.builder("checkout").guardedRollout(GuardedRollout.DEFAULT).build(),
            Flag.simple("unguarded", true));
    try (Flags flags =
        Flags.builder().store(store).outcomeSink(sink).evaluationHook(outcomes).build()) {
      outcomes.attach(flags);
      EvaluationContext user = EvaluationContext.of("u");

      RequestOutcomes.Scope ok = outcomes.begin();
      flags.isEnabled("checkout", user);
      flags.isEnabled("checkout", user); // evaluated twice: counted once
      flags.isEnabled("unguarded", user); // no plan: not counted
      ok.end(200, false);

      RequestOutcomes.Scope failed = outcomes.begin();
      flags.isEnabled("checkout", user);
      failed.end(503, false);

      RequestOutcomes.Scope threw = outcomes.begin();
      flags.isEnabled("checkout", user);
      threw.end(200, true);
      threw.end(200, true); // ended twice: counted once

      flags.isEnabled("checkout", user); // outside a request: not counted

      flags.flushOutcomes();
      assertThat(sink.total("checkout", 1).successes()).isEqualTo(1);
      assertThat(sink.total("checkout", 1).errors()).isEqualTo(2);
      assertThat(sink.total("checkout", 1).latency().total()).isEqualTo(3);
      assertThat(sink.total("unguarded", 1).requests()).isZero();

      // a plan added later is followed
      store.upsert(Flag.builder("unguarded").guardedRollout(GuardedRollout.DEFAULT).build());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                RequestOutcomes.Scope s = outcomes.begin();
                flags.isEnabled("unguarded", user);
                s.end(500, false);
                flags.flushOutcomes();
                return sink.total("unguarded", 1).errors() > 0;
              });
    } finally {
      outcomes.close();
    }
  }

  @Test
  void anOpenedScopeCountsWhatItsRequestEvaluatesOnTheThreadsThatEnterIt() throws Exception {
    Recording sink = new Recording();
    RequestOutcomes outcomes = new RequestOutcomes();
    InMemoryFlagStore store =
        InMemoryFlagStore.of(
            Flag.builder("checkout").guardedRollout(GuardedRollout.DEFAULT).build(),
            Flag.builder("search").guardedRollout(GuardedRollout.DEFAULT).build());
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try (Flags flags =
        Flags.builder().store(store).outcomeSink(sink).evaluationHook(outcomes).build()) {
      outcomes.attach(flags);
      EvaluationContext user = EvaluationContext.of("u");

      RequestOutcomes.Scope request = outcomes.open();
      flags.isEnabled("search", user); // not entered on this thread: not this request's
      worker
          .submit(
              () -> {
                try (RequestOutcomes.Binding b = request.enter()) {
                  assertThat(b.scope()).isSameAs(request);
                  flags.isEnabled("checkout", user);
                }
                flags.isEnabled("search", user); // after the binding closed: not counted
              })
          .get();
      request.end(500, false); // from another thread than the one that evaluated

      RequestOutcomes.Scope outer = outcomes.begin();
      RequestOutcomes.Scope inner = outcomes.open();
      try (RequestOutcomes.Binding b = inner.enter()) {
        assertThat(b.scope()).isSameAs(inner);
        flags.isEnabled("search", user);
      }
      flags.isEnabled("checkout", user); // the thread follows the outer request again
      inner.end(200, false);
      outer.end(200, false);

      flags.flushOutcomes();
      assertThat(sink.total("checkout", 1).errors()).isEqualTo(1);
      assertThat(sink.total("checkout", 1).successes()).isEqualTo(1);
      assertThat(sink.total("search", 1).successes()).isEqualTo(1);
      assertThat(sink.total("search", 1).errors()).isZero();
    } finally {
      worker.shutdownNow();
      outcomes.close();
    }
  }
}
