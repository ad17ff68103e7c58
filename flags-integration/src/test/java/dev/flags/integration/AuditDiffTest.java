package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.Rollout;
import dev.flags.core.Segment;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.json.FlagCodec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditDiffTest {

  private static final FlagCodec CODEC = FlagCodec.standard();

  private static List<String> diff(Optional<String> before, Optional<String> after) {
    return AuditDiff.of(
        new AuditEntry(
            "1", Instant.EPOCH, DefinitionKind.FLAG, "f", 2, "update", "alice", "", before, after));
  }

  private static List<String> diff(Flag before, Flag after) {
    return diff(Optional.of(CODEC.encode(before)), Optional.of(CODEC.encode(after)));
  }

  private static Flag.Builder flag() {
    return Flag.builder("f")
        .fallthroughRollout(Rollout.percentage(10))
        .target(true, "alice", "bob");
  }

  @Test
  void createdAndDeleted() {
    assertThat(diff(Optional.empty(), Optional.of("true"))).containsExactly("created");
    assertThat(diff(Optional.of("true"), Optional.empty())).containsExactly("deleted");
  }

  @Test
  void onOff() {
    assertThat(diff(Optional.of("true"), Optional.of("false"))).containsExactly("on: true → false");
  }

  @Test
  void rolloutRamps() {
    assertThat(diff(flag().build(), flag().fallthroughRollout(Rollout.percentage(25)).build()))
        .containsExactly("rollout: 10% → 25%");
    assertThat(diff(flag().build(), flag().fallthroughRollout(Rollout.percentage(12.5)).build()))
        .containsExactly("rollout: 10% → 12.5%");
    assertThat(diff(flag().build(), flag().fallthrough(true).build()))
        .containsExactly("rollout: 10% → 100%");
    assertThat(
            diff(
                flag().build(),
                flag().fallthroughRollout(Rollout.percentage(10).bucketBy("tenantId")).build()))
        .containsExactly("rollout bucketBy: (the key) → tenantId");
  }

  @Test
  void targetsAddedRemovedAndMoved() {
    assertThat(
            diff(
                flag().build(),
                Flag.builder("f")
                    .fallthroughRollout(Rollout.percentage(10))
                    .target(true, "alice", "carol")
                    .build()))
        .containsExactly("targets: +carol −bob");
    assertThat(
            diff(
                flag().build(),
                Flag.builder("f")
                    .fallthroughRollout(Rollout.percentage(10))
                    .target(true, "bob")
                    .target(false, "alice")
                    .build()))
        .containsExactly("targets false: +alice", "targets true: −alice");
  }

  @Test
  void manyKeysAreCounted() {
    String[] keys = new String[15];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "u" + (char) ('a' + i);
    }
    assertThat(diff(Flag.simple("f", true), Flag.builder("f").target(true, keys).build()))
        .containsExactly("targets: +ua +ub +uc +ud +ue +uf +ug +uh +ui +uj (+5 more)");
  }

  @Test
  void metadataAndUnknownMembers() {
    assertThat(
            diff(
                Optional.of("{\"on\": true, \"owner\": \"a\", \"tags\": [\"x\"], \"future\": 1}"),
                Optional.of(
                    "{\"on\": true, \"owner\": \"b\", \"tags\": [\"y\"], \"killDate\":"
                        + " \"2026-06-30T00:00:00Z\", \"future\": 2}")))
        .containsExactly(
            "owner: \"a\" → \"b\"",
            "tags: +y −x",
            "killDate: (none) → 2026-06-30T00:00:00Z",
            "future changed");
  }

  @Test
  void rulesByIndex() {
    String before =
        "{\"variations\":[false,true],\"fallthrough\":{\"variation\":0},\"rules\":["
            + "{\"id\":\"de\",\"clauses\":[{\"attribute\":\"country\",\"op\":\"in\",\"values\":[\"DE\"]}],\"variation\":1}]}";
    String after =
        "{\"variations\":[false,true],\"fallthrough\":{\"variation\":0},\"rules\":["
            + "{\"id\":\"de\",\"clauses\":[{\"attribute\":\"country\",\"op\":\"in\",\"values\":[\"DE\",\"AT\"]}],\"variation\":1},"
            + "{\"clauses\":[{\"attribute\":\"plan\",\"op\":\"in\",\"values\":[\"pro\"]}],\"variation\":1}]}";
    assertThat(diff(Optional.of(before), Optional.of(after)))
        .containsExactly("rules[0] (de) changed", "rules[1] added");
  }

  @Test
  void aValueThatDoesNotReadIsSaidSo() {
    assertThat(diff(Optional.of("{\"offVariation\": 9}"), Optional.of("true")))
        .containsExactly("stored value replaced (the earlier one did not read)");
    assertThat(diff(Optional.of("true"), Optional.of("{")))
        .containsExactly("stored value replaced by one that does not read");
  }

  @Test
  void nothingChangedIsSaid() {
    assertThat(diff(Optional.of("true"), Optional.of("{\"on\": true}")))
        .containsExactly("no change to the definition");
  }

  @Test
  void segments() {
    Segment before = Segment.builder("s").include("a", "b").description("testers").build();
    Segment after = Segment.builder("s").include("a", "c").exclude("d").description("beta").build();
    List<String> d =
        AuditDiff.of(
            new AuditEntry(
                "1",
                Instant.EPOCH,
                DefinitionKind.SEGMENT,
                "s",
                2,
                "update",
                "alice",
                "",
                Optional.of(CODEC.encode(before)),
                Optional.of(CODEC.encode(after))));
    assertThat(d)
        .containsExactly("included: +c −b", "excluded: +d", "description: \"testers\" → \"beta\"");
  }
}
