package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Loads a set of 10,000 realistic flags. No timing assertion here (a shared CI machine is no
 * benchmark); the JMH benchmark in flags-benchmarks measures it against the 200 ms budget.
 */
class TenThousandFlagsTest {

  @Test
  void decodesTenThousandRealisticFlags() {
    byte[] document = RealisticFlags.document(10_000).getBytes(StandardCharsets.UTF_8);
    FlagCodec codec = FlagCodec.standard();

    FlagSet set = codec.decodeFlagSet(document);

    assertThat(set.flags()).hasSize(10_000);
    Flag some = set.flags().get("team3.feature_40");
    assertThat(some.rules()).hasSize(3);
    assertThat(some.targets().get(0).keys()).contains("user-40", "user-41");
    assertThat(set.flags().get("team9.feature_9")).isEqualTo(Flag.simple("team9.feature_9", true));
    assertThat(codec.decodeFlagSet(codec.encode(set))).isEqualTo(set);
  }
}
