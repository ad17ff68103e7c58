package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationReason.ErrorKind;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FlagClientTest {
  private static final EvaluationContext USER = EvaluationContext.of("user-1");

  /** A store that loads only when told to. */
  static final class ManualStore implements FlagStore {
    final AtomicReference<StoreSink> sink = new AtomicReference<>();
    volatile boolean closed;

    @Override
    public void start(StoreSink s) {
      sink.set(s);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void typedGettersReadTheirTypeAndReportWrongType() {
    Flag text = Flag.builder("text").variations("a", "b").fallthroughVariation(1).build();
    Flag number =
        Flag.builder("number").variations(7, 3_000_000_000L, 2.5).fallthroughVariation(0).build();
    Flag big = Flag.builder("big").variations(3_000_000_000L).build();
    Flag json = Flag.builder("json").variations(Map.of("color", "blue")).build();
    try (Flags flags =
        Flags.builder().store(InMemoryFlagStore.of(text, number, big, json)).build()) {
      assertThat(flags.getString("text", USER, "x")).isEqualTo("b");
      assertThat(flags.getInt("number", USER, -1)).isEqualTo(7);
      assertThat(flags.getLong("big", USER, -1)).isEqualTo(3_000_000_000L);
      assertThat(flags.getInt("big", USER, -1)).isEqualTo(-1); // does not fit an int
      assertThat(flags.getIntDetail("big", USER, -1).reason().errorKind())
          .hasValue(ErrorKind.WRONG_TYPE);
      assertThat(flags.getDouble("number", USER, 0)).isEqualTo(7.0);
      assertThat(flags.getJson("json", USER, JsonValue.NULL))
          .isEqualTo(JsonValue.from(Map.of("color", "blue")));
      assertThat(flags.getBoolean("text", USER, true)).isTrue();
      EvaluationDetail<Boolean> wrong = flags.getBooleanDetail("text", USER, true);
      assertThat(wrong.reason().errorKind()).hasValue(ErrorKind.WRONG_TYPE);
      assertThat(wrong.isDefaultValue()).isTrue();
      assertThat(flags.getString("number", USER, "d")).isEqualTo("d");
    }
  }

  @Test
  void flagsServingEveryoneAlikeAgreeWithTheirDetail() {
    Flag on = Flag.simple("on", true);
    Flag off = Flag.simple("off", false);
    Flag offServingTrue = Flag.builder("off_true").on(false).offVariation(1).build();
    Flag fallthroughFalse = Flag.builder("ff").fallthrough(false).build();
    Flag targeted = Flag.builder("targeted").fallthrough(false).target(true, "user-1").build();
    try (Flags flags =
        Flags.builder()
            .store(InMemoryFlagStore.of(on, off, offServingTrue, fallthroughFalse, targeted))
            .build()) {
      for (String key : List.of("on", "off", "off_true", "ff", "targeted")) {
        assertThat(flags.getBoolean(key, USER, false))
            .as(key)
            .isEqualTo(flags.getBooleanDetail(key, USER, false).value());
        assertThat(flags.getBoolean(key, USER, true))
            .as(key)
            .isEqualTo(flags.getBooleanDetail(key, USER, true).value());
      }
      assertThat(flags.isEnabled("off_true", USER)).isTrue();
      assertThat(flags.isEnabled("targeted", USER)).isTrue();
      assertThat(flags.getBoolean("on", null, false)).isFalse(); // a null context is still an error
    }
  }

  @Test
  void unknownFlagServesTheDefaultWithFlagNotFound() {
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.empty()).build()) {
      EvaluationDetail<String> d = flags.getStringDetail("nope", USER, "fallback");
      assertThat(d.value()).isEqualTo("fallback");
      assertThat(d.variationIndex()).isEmpty();
      assertThat(d.reason().kind()).isEqualTo(EvaluationReason.Kind.ERROR);
      assertThat(d.reason().errorKind()).hasValue(ErrorKind.FLAG_NOT_FOUND);
      assertThat(flags.isEnabled("nope", USER)).isFalse();
    }
  }

  @Test
  void nullArgumentsNeverThrow() {
    try (Flags flags =
        Flags.builder().store(InMemoryFlagStore.of(Flag.simple("on", true))).build()) {
      assertThat(flags.isEnabled(null, USER)).isFalse();
      assertThat(flags.isEnabled("on", null)).isFalse();
      assertThat(flags.getBooleanDetail("on", null, true).reason().errorKind())
          .hasValue(ErrorKind.INVALID_ARGUMENT);
      assertThat(flags.getString("on", null, "d")).isEqualTo("d");
    }
  }

  @Test
  void buildingDoesNotWaitForTheStoreAndServesDefaultsUntilItLoads() {
    ManualStore store = new ManualStore();
    try (Flags flags = Flags.builder().store(store).build()) {
      assertThat(flags.isInitialized()).isFalse();
      assertThat(flags.getBooleanDetail("f", USER, true).reason().errorKind())
          .hasValue(ErrorKind.CLIENT_NOT_READY);
      store.sink.get().statusChanged(StoreStatus.UNAVAILABLE, "down");
      assertThat(flags.getBooleanDetail("f", USER, true).reason().errorKind())
          .hasValue(ErrorKind.STORE_UNAVAILABLE);
      store.sink.get().replaceAll(StoreSnapshot.of(FlagSet.of(Flag.simple("f", false))));
      assertThat(flags.isInitialized()).isTrue();
      assertThat(flags.awaitInitialization(Duration.ZERO)).isTrue();
      assertThat(flags.getBoolean("f", USER, true)).isFalse();
    }
  }

  @Test
  void bootstrapFlagsServeUntilTheStoreLoads() {
    ManualStore store = new ManualStore();
    try (Flags flags =
        Flags.builder().store(store).bootstrap(FlagSet.of(Flag.simple("f", true))).build()) {
      assertThat(flags.isEnabled("f", USER)).isTrue();
      store.sink.get().replaceAll(StoreSnapshot.of(FlagSet.of(Flag.simple("f", false))));
      assertThat(flags.isEnabled("f", USER)).isFalse();
    }
  }

  @Test
  void failFastThrowsAndClosesTheStoreWhenNotReadyInTime() {
    ManualStore store = new ManualStore();
    assertThatThrownBy(() -> Flags.builder().store(store).failFast(Duration.ofMillis(50)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not ready within PT0.05S");
    assertThat(store.closed).isTrue();
  }

  @Test
  void closeStopsTheStoreAndTheClientThreadsAndServesDefaults() {
    ManualStore store = new ManualStore();
    Flags flags =
        Flags.builder().store(store).bootstrap(FlagSet.of(Flag.simple("f", true))).build();
    assertThat(threadNamed("flags-events")).isTrue();
    flags.close();
    flags.close();
    assertThat(store.closed).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> !threadNamed("flags-events"));
    assertThat(flags.getBooleanDetail("f", USER, false).reason().errorKind())
        .hasValue(ErrorKind.CLIENT_CLOSED);
  }

  private static boolean threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  @Test
  void storeThatThrowsOnStartLeavesTheClientServingDefaults() {
    FlagStore broken =
        new FlagStore() {
          @Override
          public void start(StoreSink sink) {
            throw new IllegalStateException("boom");
          }

          @Override
          public void close() {}
        };
    try (Flags flags = Flags.builder().store(broken).build()) {
      assertThat(flags.status()).isEqualTo(StoreStatus.UNAVAILABLE);
      assertThat(flags.getBoolean("f", USER, true)).isTrue();
    }
  }

  @Test
  void malformedFlagServesDefaultsAndOthersAreUnaffected() {
    ManualStore store = new ManualStore();
    List<String> malformed = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onMalformedFlag(String flagKey, String problem) {
              malformed.add(flagKey + ": " + problem);
            }
          });
      store
          .sink
          .get()
          .replaceAll(
              new StoreSnapshot(
                  Map.of("good", Flag.simple("good", true)),
                  Map.of(),
                  Map.of("bad", "line 1: garbage")));
      assertThat(flags.isEnabled("good", USER)).isTrue();
      assertThat(flags.getBooleanDetail("bad", USER, true).reason().errorKind())
          .hasValue(ErrorKind.MALFORMED_FLAG);
      await().until(() -> malformed.contains("bad: line 1: garbage"));
      store.sink.get().upsertFlag(Flag.simple("bad", true));
      assertThat(flags.getBooleanDetail("bad", USER, false).reason().kind())
          .isEqualTo(EvaluationReason.Kind.FALLTHROUGH);
    }
  }

  @Test
  void listenersHearExactlyTheChangedFlags() {
    InMemoryFlagStore store = InMemoryFlagStore.of(Flag.simple("a", true), Flag.simple("b", true));
    List<String> changed = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onFlagChanged(String flagKey) {
              changed.add(flagKey);
            }
          });
      store.set("a", false);
      store.set("b", true); // same definition: no event
      store.removeFlag("b");
      await().until(() -> changed.size() >= 2);
      assertThat(changed).containsExactly("a", "b");
    }
  }

  @Test
  void oneFlagListenerHearsOnlyThatFlag() {
    InMemoryFlagStore store = InMemoryFlagStore.of(Flag.simple("a", true), Flag.simple("b", true));
    List<String> heard = new CopyOnWriteArrayList<>();
    List<String> all = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      Subscription sub =
          flags.addListener(
              "a",
              new FlagListener() {
                @Override
                public void onFlagChanged(String flagKey) {
                  heard.add("changed:" + flagKey);
                }

                @Override
                public void onStatusChanged(StoreStatus status) {
                  heard.add("status:" + status);
                }
              });
      flags.addListener(
          new FlagListener() {
            @Override
            public void onFlagChanged(String flagKey) {
              all.add(flagKey);
            }
          });
      store.set("b", false);
      store.set("a", false);
      store.removeFlag("a");
      await().until(() -> all.size() == 3);
      assertThat(heard).containsExactly("changed:a", "changed:a");
      sub.close();
      store.set("a", true);
      await().until(() -> all.size() == 4);
      assertThat(heard).hasSize(2);
    }
  }

  @Test
  void oneFlagListenerHearsItsMalformedFlagAndAFlagThatDidNotExistYet() {
    ManualStore store = new ManualStore();
    List<String> heard = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addListener(
          "later",
          new FlagListener() {
            @Override
            public void onFlagChanged(String flagKey) {
              heard.add("changed:" + flagKey);
            }

            @Override
            public void onMalformedFlag(String flagKey, String problem) {
              heard.add("malformed:" + flagKey);
            }
          });
      store.sink.get().replaceAll(StoreSnapshot.of(FlagSet.of(Flag.simple("other", true))));
      store.sink.get().malformedFlag("other", "bad");
      store.sink.get().upsertFlag(Flag.simple("later", true));
      store.sink.get().malformedFlag("later", "garbage");
      await().until(() -> heard.size() == 3);
      assertThat(heard).containsExactly("changed:later", "malformed:later", "changed:later");
    }
  }

  @Test
  void valueChangeListenerFiresOnlyWhenThisContextsValueChanges() {
    InMemoryFlagStore store = InMemoryFlagStore.of(Flag.builder("f").fallthrough(false).build());
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addValueChangeListener(
          "f", USER, (key, before, after) -> seen.add(before + "->" + after));
      store.upsert(Flag.builder("f").fallthrough(false).target(true, "someone-else").build());
      store.upsert(Flag.builder("f").fallthrough(false).target(true, "user-1").build());
      await().until(() -> !seen.isEmpty());
      assertThat(seen).containsExactly("false->true");
    }
  }

  @Test
  void valueChangeListenerHearsChangesThroughAChainOfPrerequisites() {
    // Regression: only direct prerequisites were checked, so a -> b -> c missed a change of c.
    InMemoryFlagStore store =
        InMemoryFlagStore.of(
            Flag.builder("a").fallthrough(true).prerequisite("b", 1).build(),
            Flag.builder("b").fallthrough(true).prerequisite("c", 1).build(),
            Flag.simple("c", true));
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      assertThat(flags.isEnabled("a", USER)).isTrue();
      flags.addValueChangeListener(
          "a", USER, (key, before, after) -> seen.add(key + ":" + before + "->" + after));
      flags.addValueChangeListener(
          "b", USER, (key, before, after) -> seen.add(key + ":" + before + "->" + after));
      store.set("c", false);
      await().until(() -> seen.size() >= 2);
      assertThat(seen).containsExactlyInAnyOrder("a:true->false", "b:true->false");
    }
  }

  @Test
  void aCycleBrokenByChangingTheOtherFlagServesBothAgain() {
    // Regression: only the flag that was changed was judged again; the other one of the cycle
    // stayed malformed until it was itself written again.
    InMemoryFlagStore store = InMemoryFlagStore.empty();
    try (Flags flags = Flags.builder().store(store).build()) {
      store.upsert(Flag.builder("q").fallthrough(true).prerequisite("p", 1).build());
      store.upsert(Flag.builder("p").fallthrough(true).prerequisite("q", 1).build());
      assertThat(flags.getBooleanDetail("p", USER, false).reason().errorKind())
          .hasValue(ErrorKind.MALFORMED_FLAG);
      assertThat(flags.getBooleanDetail("q", USER, false).reason().errorKind())
          .hasValue(ErrorKind.MALFORMED_FLAG);
      store.upsert(Flag.builder("q").fallthrough(true).build()); // q no longer requires p
      assertThat(flags.isEnabled("q", USER)).isTrue();
      assertThat(flags.isEnabled("p", USER)).isTrue();
    }
  }

  @Test
  void valueChangeListenerOnAFlagInAPrerequisiteCycleDoesNotLoop() {
    InMemoryFlagStore store = InMemoryFlagStore.of(Flag.simple("x", true));
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addValueChangeListener(
          "p", USER, (key, before, after) -> seen.add(key + ":" + before + "->" + after));
      store.upsert(Flag.builder("q").fallthrough(true).prerequisite("p", 1).build());
      store.upsert(
          Flag.builder("p").fallthrough(true).prerequisite("q", 1).build()); // p and q: a cycle
      store.set("x", false);
      store.upsert(Flag.builder("p").fallthrough(true).build()); // cycle broken
      await().until(() -> seen.contains("p:null->true"));
    }
  }

  @Test
  void flagsPastKillDateAreReportedOnceAndStillEvaluate() {
    Instant now = Instant.parse("2026-11-25T00:00:00Z");
    Flag old = Flag.builder("old_banner").killDate(now.minus(Duration.ofDays(1))).build();
    Flag fresh = Flag.builder("fresh").killDate(now.plus(Duration.ofDays(30))).build();
    List<String> pastKillDate = new CopyOnWriteArrayList<>();
    ManualStore store = new ManualStore();
    try (Flags flags =
        Flags.builder().store(store).clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onPastKillDate(Flag flag) {
              pastKillDate.add(flag.key());
            }
          });
      store.sink.get().replaceAll(StoreSnapshot.of(FlagSet.of(old, fresh)));
      store.sink.get().upsertFlag(Flag.simple("other", true));
      await().until(() -> !pastKillDate.isEmpty());
      assertThat(flags.flagsPastKillDate()).extracting(Flag::key).containsExactly("old_banner");
      assertThat(flags.isEnabled("old_banner", USER)).isTrue();
      await().during(Duration.ofMillis(200)).until(() -> pastKillDate.size() == 1);
    }
  }

  @Test
  void aFlagChangedToAPassedKillDateIsReportedAtOnceNotAtThePeriodicCheck() {
    // A change checks kill dates only when the changed flag has one (the check walks every flag,
    // which each change in every instance would otherwise pay for): this one must still be heard.
    Instant now = Instant.parse("2026-11-25T00:00:00Z");
    List<String> pastKillDate = new CopyOnWriteArrayList<>();
    ManualStore store = new ManualStore();
    try (Flags flags =
        Flags.builder().store(store).clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onPastKillDate(Flag flag) {
              pastKillDate.add(flag.key());
            }
          });
      store.sink.get().replaceAll(StoreSnapshot.of(FlagSet.of(Flag.simple("banner", true))));
      store.sink.get().upsertFlag(Flag.simple("other", true));
      store
          .sink
          .get()
          .upsertFlag(Flag.builder("banner").killDate(now.minus(Duration.ofDays(1))).build());
      // The periodic check runs once a minute: heard well before, it came from the change.
      await().atMost(Duration.ofSeconds(5)).until(() -> pastKillDate.equals(List.of("banner")));
    }
  }

  @Test
  void statusChangesReachListeners() {
    ManualStore store = new ManualStore();
    List<StoreStatus> statuses = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onStatusChanged(StoreStatus status) {
              statuses.add(status);
            }
          });
      store.sink.get().statusChanged(StoreStatus.OK, "");
      store.sink.get().statusChanged(StoreStatus.OK, "");
      store.sink.get().statusChanged(StoreStatus.STALE, "connection lost");
      await().until(() -> statuses.size() == 2);
      assertThat(statuses).containsExactly(StoreStatus.OK, StoreStatus.STALE);
      assertThat(flags.status()).isEqualTo(StoreStatus.STALE);
    }
  }

  @Test
  void storeErrorsReachListenersWhenTheirDetailChanges() {
    ManualStore store = new ManualStore();
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onStoreError(StoreStatus status, String problem) {
              errors.add(status + ":" + problem);
            }
          });
      store.sink.get().statusChanged(StoreStatus.UNAVAILABLE, "no file");
      store.sink.get().statusChanged(StoreStatus.UNAVAILABLE, "no file");
      store.sink.get().statusChanged(StoreStatus.OK, "loaded");
      store.sink.get().statusChanged(StoreStatus.STALE, "bad version 1");
      store.sink.get().statusChanged(StoreStatus.STALE, "bad version 2");
      assertThat(flags.statusDetail()).isEqualTo("bad version 2");
      await().until(() -> errors.size() == 3);
      assertThat(errors)
          .containsExactly("UNAVAILABLE:no file", "STALE:bad version 1", "STALE:bad version 2");
    }
  }

  @Test
  void evaluationHookSeesEveryEvaluation() {
    List<String> seen = new CopyOnWriteArrayList<>();
    EvaluationHook hook =
        (key, variation, reason) -> seen.add(key + ":" + variation + ":" + reason);
    try (Flags flags =
        Flags.builder()
            .store(InMemoryFlagStore.of(Flag.simple("on", true)))
            .evaluationHook(hook)
            .build()) {
      flags.isEnabled("on", USER);
      flags.isEnabled("missing", USER);
      flags.getString("on", USER, "x");
      assertThat(seen).containsExactly("on:1:FALLTHROUGH", "missing:-1:ERROR", "on:-1:ERROR");
    }
  }

  @Test
  void queriesListDefinitionsSortedByKey() {
    try (Flags flags =
        Flags.builder()
            .store(InMemoryFlagStore.of(Flag.simple("b", true), Flag.simple("a", false)))
            .build()) {
      assertThat(flags.allFlags()).extracting(Flag::key).containsExactly("a", "b");
      assertThat(flags.flag("a")).contains(Flag.simple("a", false));
      assertThat(flags.flag("zzz")).isEmpty();
    }
  }

  @Test
  void ofValuesBuildsTheConfigDictOfFlags() {
    try (Flags flags =
        Flags.builder()
            .store(
                InMemoryFlagStore.ofValues(
                    Map.of("new_ui_layout", false, "banner_text", "Hello", "max_items", 20)))
            .build()) {
      assertThat(flags.isEnabled("new_ui_layout", USER)).isFalse();
      assertThat(flags.getString("banner_text", USER, "")).isEqualTo("Hello");
      assertThat(flags.getInt("max_items", USER, 0)).isEqualTo(20);
    }
    assertThatThrownBy(() -> InMemoryFlagStore.ofValues(Map.of("bad key", true)))
        .hasMessageContaining("bad key");
  }
}
