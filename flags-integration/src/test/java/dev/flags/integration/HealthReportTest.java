package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.StoreSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {

  private static FlagsRuntime runtime(ControlledStore store, boolean failOnUnavailable) {
    FlagsSettings settings =
        FlagsSettings.from(
            SettingsSource.of(
                Map.of("flags.health.fail-on-unavailable", Boolean.toString(failOnUnavailable))));
    return FlagsRuntime.builder(settings).store(store).build();
  }

  @Test
  void detailsHaveFixedKeysInOrder() {
    ControlledStore store = new ControlledStore();
    try (FlagsRuntime r = runtime(store, false)) {
      store.load(
          StoreSnapshot.of(
              FlagSet.of(
                  Flag.simple("a", true),
                  Flag.builder("old").killDate(Instant.parse("2020-01-01T00:00:00Z")).build())));
      HealthReport h = r.health();
      assertThat(h.up()).isTrue();
      assertThat(h.details().keySet())
          .containsExactly(
              "status", "detail", "initialized", "store", "flags", "malformed", "pastKillDate");
      assertThat(h.details())
          .containsEntry("status", "OK")
          .containsEntry("detail", "loaded")
          .containsEntry("initialized", true)
          .containsEntry(
              "store", "the application's own store (dev.flags.integration.ControlledStore)")
          .containsEntry("flags", 2)
          .containsEntry("malformed", 0)
          .containsEntry("pastKillDate", 1);
      assertThat(h.status()).isEqualTo("OK");
    }
  }

  @Test
  void onlyAnUnavailableStoreIsDownAndOnlyWhenAskedTo() {
    for (boolean fail : List.of(false, true)) {
      ControlledStore store = new ControlledStore();
      try (FlagsRuntime r = runtime(store, fail)) {
        assertThat(r.health().status()).isEqualTo("INITIALIZING");
        assertThat(r.health().up()).isTrue();
        store.status(StoreStatus.UNAVAILABLE, "cannot connect");
        assertThat(r.health().up()).as("fail-on-unavailable=" + fail).isEqualTo(!fail);
        assertThat(r.health().details()).containsEntry("detail", "cannot connect");
        store.load(StoreSnapshot.EMPTY);
        store.status(StoreStatus.STALE, "connection lost");
        assertThat(r.health().up()).as("stale, fail-on-unavailable=" + fail).isTrue();
        assertThat(r.health().status()).isEqualTo("STALE");
      }
    }
  }

  @Test
  void malformedFlagsAreCountedUntilReplaced() {
    ControlledStore store = new ControlledStore();
    try (FlagsRuntime r = runtime(store, false)) {
      store.load(
          new StoreSnapshot(
              Map.of("a", Flag.simple("a", true)), Map.of(), Map.of("b", "offVariation: no such")));
      assertThat(r.health().details()).containsEntry("malformed", 1).containsEntry("flags", 1);
      store.malformed("c", "bad");
      assertThat(r.health().details()).containsEntry("malformed", 2);
      store.sink().upsertFlag(Flag.simple("b", false));
      assertThat(r.health().details()).containsEntry("malformed", 1);
      store.sink().removeFlag("c");
      assertThat(r.health().details()).containsEntry("malformed", 0);
      store.malformed("d", "bad");
      store.load(StoreSnapshot.EMPTY);
      assertThat(r.health().details()).containsEntry("malformed", 0);
    }
  }
}
