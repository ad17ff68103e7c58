package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParsingTest {

  @Test
  void percentagesAreZeroToHundredInThousandths() {
    assertThat(RolloutCommand.parse("25%")).isEqualTo(25.0);
    assertThat(RolloutCommand.parse("12.5")).isEqualTo(12.5);
    assertThat(RolloutCommand.parse("0.001%")).isEqualTo(0.001);
    assertThat(RolloutCommand.parse("100%")).isEqualTo(100.0);
    assertThatThrownBy(() -> RolloutCommand.parse("-1%")).hasMessageContaining("from 0% to 100%");
    assertThatThrownBy(() -> RolloutCommand.parse("100.001%"))
        .hasMessageContaining("from 0% to 100%");
    assertThatThrownBy(() -> RolloutCommand.parse("1e1")).isInstanceOf(CliException.class);
  }

  @Test
  void durationsAndTimes() {
    assertThat(Durations.parse("500ms", "t")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2h", "t")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("7d", "t")).isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> Durations.parse("2 hours", "--since"))
        .hasMessage(
            "--since: \"2 hours\" is not a duration; write it like 500ms, 30s, 10m, 2h or 7d");
    Instant now = Instant.parse("2026-03-02T12:00:00Z");
    assertThat(Durations.since("2h", now, "s")).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
    assertThat(Durations.since("2026-03-01", now, "s"))
        .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(Durations.since("2026-03-01T08:00:00Z", now, "s"))
        .isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
  }

  @Test
  void percentsAndAgesReadWell() {
    assertThat(Render.percent(25)).isEqualTo("25%");
    assertThat(Render.percent(12.5)).isEqualTo("12.5%");
    assertThat(Render.percent(0.001)).isEqualTo("0.001%");
    Instant now = Instant.parse("2026-03-02T12:00:00Z");
    assertThat(Render.ago(now.minusSeconds(20), now)).isEqualTo("20 s ago");
    assertThat(Render.ago(now.minusSeconds(3 * 3600), now)).isEqualTo("3 h ago");
    assertThat(Render.ago(now.minusSeconds(5 * 86400), now)).isEqualTo("5 days ago");
  }

  @Test
  void suggestionsAreCloseOnly() {
    assertThat(Suggest.didYouMean("new_chekout_flow", java.util.List.of("new_checkout_flow", "x")))
        .isEqualTo(" (did you mean \"new_checkout_flow\"?)");
    assertThat(Suggest.didYouMean("zzzz", java.util.List.of("new_checkout_flow"))).isEmpty();
  }

  @Test
  void commandsAreFoundPastTheGlobalOptions() {
    Cli cli = new Cli();
    var cmd = Flagctl.commandLine(cli, new String[] {"--file", "list", "get", "x"});
    assertThat(cmd.getSubcommands()).containsOnlyKeys("get");
    assertThat(Flagctl.commandLine(new Cli(), new String[] {"--help"}).getSubcommands())
        .containsKeys(Flagctl.commandNames().toArray(String[]::new));
    assertThat(Flagctl.commandLine(new Cli(), new String[] {"ls"}).getSubcommands())
        .containsKeys("list", "ls");
  }
}
