package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot paths allocate nothing. This is a behaviour check (bytes allocated by this thread), not a
 * timing: JMH with {@code -prof gc} measures the same in docs/benchmarks.md.
 */
class AllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void booleanRolloutAndRuleEvaluationsAllocateNothing() {
    Flag on = Flag.simple("on", true);
    Flag rollout = Flag.builder("rollout").percentageRollout(10).build();
    Flag rule =
        Flag.builder("rule")
            .percentageRollout(10)
            .rule(Rule.when(Clause.in("country", "DE", "FR"), Clause.in("plan", "pro")).serve(true))
            .build();
    EvaluationContext[] users = new EvaluationContext[1024];
    for (int i = 0; i < users.length; i++) {
      users[i] =
          EvaluationContext.builder("user-" + i)
              .set("country", i % 3 == 0 ? "DE" : "US")
              .set("plan", i % 2 == 0 ? "pro" : "free")
              .build();
    }
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(on, rollout, rule)).build()) {
      int sink = run(flags, users, 200_000); // warm up: JIT, lazily built JDK tables
      long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
      sink += run(flags, users, 100_000);
      long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
      assertThat(sink).isPositive();
      // 300,000 evaluations; allow a little noise from the measurement itself.
      assertThat(allocated).as("bytes allocated by 300,000 evaluations").isLessThan(4_096);
    }
  }

  private static int run(Flags flags, EvaluationContext[] users, int n) {
    int on = 0;
    for (int i = 0; i < n; i++) {
      EvaluationContext u = users[i & 1023];
      on += flags.isEnabled("on", u) ? 1 : 0;
      on += flags.isEnabled("rollout", u) ? 1 : 0;
      on += flags.isEnabled("rule", u) ? 1 : 0;
    }
    return on;
  }
}
