package dev.flags.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.StoreStatus;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The life-cycle and events table of docs/openfeature.md, row by row. */
class LifecycleEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
  private final EventRecorder recorder = new EventRecorder(api);
  private final List<Flags> clients = new ArrayList<>();

  @AfterEach
  void close() {
    api.shutdown();
    clients.forEach(Flags::close);
  }

  private Flags flags(dev.flags.core.spi.FlagStore store) {
    Flags flags = Flags.builder().store(store).build();
    clients.add(flags);
    return flags;
  }

  @Test
  void initializeWaitsForTheStoresFirstLoad() {
    ControlledStore store = new ControlledStore();
    Flags flags = flags(store);
    CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)
        .execute(() -> store.load(FlagSet.of(Flag.simple("on", true))));
    long start = System.nanoTime();
    api.setProviderAndWait(FlagsProvider.builder(flags).initializationTimeout(WAIT).build());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
    assertThat(api.getClient().getProviderState()).isEqualTo(ProviderState.READY);
    assertThat(api.getClient().getBooleanValue("on", false)).isTrue();
  }

  @Test
  void initializeGivesUpAfterItsTimeoutAndALaterLoadMakesTheProviderReady() {
    ControlledStore store = new ControlledStore();
    Flags flags = flags(store);
    FlagsProvider provider =
        FlagsProvider.builder(flags).initializationTimeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> api.setProviderAndWait(provider))
        .isInstanceOf(OpenFeatureError.class)
        .hasMessageContaining("not loaded within PT0.2S");
    Client client = api.getClient();
    assertThat(client.getProviderState()).isEqualTo(ProviderState.ERROR);
    assertThat(client.getBooleanDetails("on", false).getErrorCode())
        .isEqualTo(ErrorCode.PROVIDER_NOT_READY);

    store.load(FlagSet.of(Flag.simple("on", true)));
    await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.READY);
    assertThat(recorder.has(ProviderEvent.PROVIDER_READY)).isTrue();
    assertThat(client.getBooleanValue("on", false)).isTrue();
  }

  @Test
  void theStateFollowsTheStoresStatus() {
    ControlledStore store = new ControlledStore();
    Flags flags = flags(store);
    store.load(FlagSet.of(Flag.simple("on", true)));
    api.setProviderAndWait(FlagsProvider.of(flags));
    Client client = api.getClient();

    store.status(StoreStatus.STALE, "connection refused");
    await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.STALE);
    assertThat(recorder.events())
        .filteredOn(e -> e.type() == ProviderEvent.PROVIDER_STALE)
        .singleElement()
        .satisfies(e -> assertThat(e.details().getMessage()).contains("connection refused"));
    assertThat(client.getBooleanValue("on", false)).isTrue(); // last known values

    store.status(StoreStatus.OK, "reconnected");
    await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.READY);

    store.status(StoreStatus.DATA_LOST, "the flags are gone from the source");
    await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.STALE);

    store.status(StoreStatus.UNAVAILABLE, "never reachable");
    await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.ERROR);
    assertThat(recorder.events())
        .filteredOn(e -> e.type() == ProviderEvent.PROVIDER_ERROR)
        .singleElement()
        .satisfies(e -> assertThat(e.details().getMessage()).contains("never reachable"));

    store.status(StoreStatus.OK, "back");
    await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.READY);
  }

  @Test
  void aStoreThatLoadedButIsStaleIsReportedStaleAfterInitialization() {
    ControlledStore store = new ControlledStore();
    Flags flags = flags(store);
    store.load(FlagSet.of(Flag.simple("on", true)));
    store.status(StoreStatus.STALE, "served from the snapshot file");
    api.setProviderAndWait(FlagsProvider.of(flags));
    await().atMost(WAIT).until(() -> api.getClient().getProviderState() == ProviderState.STALE);
  }

  @Test
  void aChangedFlagIsAConfigurationChangedEventWithItsKey() {
    InMemoryFlagStore store = InMemoryFlagStore.of(Flag.simple("a", false));
    api.setProviderAndWait(FlagsProvider.of(flags(store)));
    store.set("a", true);
    store.upsert(Flag.simple("b", true));
    store.removeFlag("a");
    await().atMost(WAIT).until(() -> recorder.changed("a") && recorder.changed("b"));
    assertThat(
            recorder.events().stream()
                .filter(e -> e.type() == ProviderEvent.PROVIDER_CONFIGURATION_CHANGED)
                .flatMap(e -> e.details().getFlagsChanged().stream()))
        .containsExactlyInAnyOrder("a", "b", "a"); // OpenFeature runs handlers on a thread pool
  }

  @Test
  void aMalformedFlagIsAConfigurationChangedEventWithItsKey() {
    ControlledStore store = new ControlledStore();
    Flags flags = flags(store);
    store.load(FlagSet.of(Flag.simple("ok", true)));
    api.setProviderAndWait(FlagsProvider.of(flags));
    store.malformedLater("ok", "rules[0].clauses: expected an array");
    await().atMost(WAIT).until(() -> recorder.changed("ok"));
    assertThat(recorder.events())
        .filteredOn(e -> e.names("ok"))
        .anySatisfy(e -> assertThat(e.details().getMessage()).contains("rules[0].clauses"));
  }

  @Test
  void shutdownStopsTheEventsAndLeavesTheClientOpen() {
    InMemoryFlagStore store = InMemoryFlagStore.of(Flag.simple("a", false));
    Flags flags = flags(store);
    FlagsProvider provider = FlagsProvider.of(flags);
    api.setProviderAndWait(provider);
    api.shutdown();
    recorder.clear();
    store.set("a", true);
    await().atMost(WAIT).until(() -> flags.isEnabled("a", EvaluationContext.of("x")));
    assertThat(recorder.events()).isEmpty();
    assertThatThrownBy(() -> provider.initialize(null)).hasMessageContaining("shut down");
  }

  @Test
  void shutdownClosesTheClientWhenAskedTo() {
    Flags flags = flags(InMemoryFlagStore.of(Flag.simple("a", true)));
    api.setProviderAndWait(FlagsProvider.builder(flags).closeClientOnShutdown(true).build());
    api.shutdown();
    assertThat(flags.getBooleanDetail("a", EvaluationContext.of("x"), false).reason().errorKind())
        .contains(EvaluationReason.ErrorKind.CLIENT_CLOSED);
  }

  @Test
  void theBuilderRefusesANegativeTimeout() {
    Flags flags = flags(InMemoryFlagStore.empty());
    assertThatThrownBy(
            () -> FlagsProvider.builder(flags).initializationTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initializationTimeout");
  }
}
