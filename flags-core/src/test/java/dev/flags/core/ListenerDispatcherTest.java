package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListenerDispatcherTest {

  /** A host whose list of flags past their kill date fails on the first call only. */
  private static final class FailingOnceHost implements ListenerDispatcher.Host {
    final AtomicInteger calls = new AtomicInteger();
    final Flag old =
        Flag.builder("old_banner").killDate(Instant.parse("2026-01-01T00:00:00Z")).build();

    @Override
    public FlagSnapshot snapshot() {
      throw new UnsupportedOperationException("not needed by the kill-date check");
    }

    @Override
    public JsonValue currentValue(String key, EvaluationContext context) {
      throw new UnsupportedOperationException("not needed by the kill-date check");
    }

    @Override
    public List<Flag> flagsPastKillDate() {
      if (calls.getAndIncrement() == 0) {
        throw new IllegalStateException("the store failed once");
      }
      return List.of(old);
    }
  }

  @Test
  void killDateCheckKeepsRunningAfterOneRunThrows() {
    FailingOnceHost host = new FailingOnceHost();
    ListenerDispatcher dispatcher = new ListenerDispatcher(host, Duration.ofMillis(10));
    List<String> reported = new CopyOnWriteArrayList<>();
    dispatcher.addListener(
        new FlagListener() {
          @Override
          public void onPastKillDate(Flag flag) {
            reported.add(flag.key());
          }
        });
    dispatcher.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
      assertThat(host.calls.get()).isGreaterThan(1);
      assertThat(reported).containsExactly("old_banner");
    } finally {
      dispatcher.close();
    }
  }
}
