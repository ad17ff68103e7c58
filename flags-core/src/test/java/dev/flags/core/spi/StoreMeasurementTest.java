package dev.flags.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreMeasurementTest {

  @Test
  void acceptsDotSeparatedLowerCaseNames() {
    StoreMeasurement m =
        new StoreMeasurement(
            "flags.store.reconnects", StoreMeasurement.Type.COUNTER, "Reconnections", () -> 3);

    assertThat(m.value().getAsDouble()).isEqualTo(3);
  }

  @Test
  void refusesANameThatIsNotLowerCaseDottedWords() {
    for (String bad :
        new String[] {"", "Flags.count", "flags..count", "flags.count.", "flags count"}) {
      assertThatThrownBy(() -> new StoreMeasurement(bad, StoreMeasurement.Type.GAUGE, "x", () -> 0))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("measurement name")
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void refusesABlankDescription() {
    assertThatThrownBy(
            () -> new StoreMeasurement("flags.count", StoreMeasurement.Type.GAUGE, " ", () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("description of measurement flags.count");
  }
}
