package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedingTest {

  @Test
  void createMissingSeedsOnlyWhatRedisLacksAndLeavesTheRestAlone() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
      admin.create(Flag.simple("kill_switch", false), Change.by("ops").because("already there"));
      Flag beta =
          Flag.builder("beta_ui")
              .fallthrough(false)
              .rule(Rule.when(Clause.inSegment("testers")).serve(true))
              .build();
      FlagSet file =
          FlagSet.of(
              List.of(Flag.simple("kill_switch", true), beta),
              List.of(Segment.builder("testers").include("u1").build()));

      assertThat(admin.createMissing(file, Change.by("seed").because("from flags.json")))
          .containsExactly("beta_ui");
      assertThat(admin.get("kill_switch").orElseThrow().flag().on()).as("left alone").isFalse();
      assertThat(admin.get("beta_ui").orElseThrow().flag().toBuilder().version(0).build())
          .isEqualTo(beta);
      assertThat(admin.createMissing(file, Change.by("seed").because("again"))).isEmpty();
    }
  }
}
