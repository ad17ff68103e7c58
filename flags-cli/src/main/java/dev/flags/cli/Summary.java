package dev.flags.cli;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.Rollout;
import dev.flags.core.Target;
import dev.flags.core.admin.AuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One flag as a listing shows it (the admin HTTP API's summary). Immutable.
 *
 * @param key the flag key
 * @param version the stored version
 * @param on whether targeting is on; empty when malformed
 * @param type boolean, string, number or json; empty when malformed
 * @param variations how many
 * @param rollout the fallthrough rollout, if it is one
 * @param targets how many context keys are targeted
 * @param rules how many rules
 * @param owner may be empty
 * @param description may be empty
 * @param tags may be empty
 * @param killDate when it should be gone
 * @param pastKillDate whether that date has passed
 * @param lastChange who changed it last, when known
 * @param malformed why the stored value does not read
 * @param killedByRawEdit whether a raw edit replaced its definition by a bare false
 */
record Summary(
    String key,
    long version,
    Optional<Boolean> on,
    String type,
    int variations,
    Optional<RolloutInfo> rollout,
    int targets,
    int rules,
    String owner,
    String description,
    List<String> tags,
    Optional<Instant> killDate,
    boolean pastKillDate,
    Optional<LastChange> lastChange,
    Optional<String> malformed,
    boolean killedByRawEdit) {

  /**
   * A rollout.
   *
   * @param percentage the share served {@code true}, for a boolean flag
   * @param algorithm its wire name
   * @param bucketBy the attribute, if not the key
   * @param weights variation index and weight (thousandths of a percent), in order
   */
  record RolloutInfo(
      Optional<Double> percentage,
      String algorithm,
      Optional<String> bucketBy,
      List<Weight> weights) {}

  /** A variation's weight in a rollout, in thousandths of a percent. */
  record Weight(int variation, int weight) {}

  /**
   * The last change.
   *
   * @param id the audit entry
   * @param time when
   * @param action what
   * @param actor who
   * @param reason why; may be empty
   */
  record LastChange(String id, Instant time, String action, String actor, String reason) {
    static LastChange of(AuditEntry e) {
      return new LastChange(e.id(), e.time(), e.action(), e.actor(), e.reason());
    }

    boolean rawEdit() {
      return actor.equals(AuditEntry.RAW_EDIT_ACTOR) || action.equals(AuditEntry.ACTION_RAW_EDIT);
    }
  }

  /** The summary of a readable flag. */
  static Summary of(
      Flag f, long version, Optional<AuditEntry> last, boolean killedByRawEdit, Instant now) {
    return new Summary(
        f.key(),
        version,
        Optional.of(f.on()),
        type(f),
        f.variations().size(),
        rollout(f),
        f.targets().stream().mapToInt(t -> t.keys().size()).sum(),
        f.rules().size(),
        f.metadata().owner(),
        f.metadata().description(),
        f.metadata().tags(),
        f.metadata().killDate(),
        f.metadata().isPastKillDate(now),
        last.map(LastChange::of),
        Optional.empty(),
        killedByRawEdit);
  }

  /** The summary of a flag whose stored value does not read. */
  static Summary malformed(
      String key, long version, String problem, Optional<AuditEntry> last, boolean killed) {
    return new Summary(
        key,
        version,
        Optional.empty(),
        "",
        0,
        Optional.empty(),
        0,
        0,
        "",
        "",
        List.of(),
        Optional.empty(),
        false,
        last.map(LastChange::of),
        Optional.of(problem),
        killed);
  }

  static String type(Flag f) {
    List<JsonValue> v = f.variations();
    if (v.stream().allMatch(x -> x instanceof JsonValue.Bool)) {
      return "boolean";
    }
    if (v.stream().allMatch(x -> x instanceof JsonValue.Str)) {
      return "string";
    }
    if (v.stream().allMatch(x -> x instanceof JsonValue.Num)) {
      return "number";
    }
    return "json";
  }

  static Optional<RolloutInfo> rollout(Flag f) {
    if (!(f.fallthrough() instanceof Rollout r)) {
      return Optional.empty();
    }
    return Optional.of(
        new RolloutInfo(
            truePercentage(f),
            r.algorithm().wireName(),
            r.bucketBy(),
            r.weights().stream().map(w -> new Weight(w.variation(), w.weight())).toList()));
  }

  /**
   * The share of contexts reaching the fallthrough that get {@code true}, for a boolean flag: a
   * rollout's weight of {@code true}, or 100 / 0 for a fixed variation.
   */
  static Optional<Double> truePercentage(Flag f) {
    if (!f.isBoolean()) {
      return Optional.empty();
    }
    if (f.fallthrough() instanceof Rollout r) {
      long w = 0;
      for (Rollout.WeightedVariation wv : r.weights()) {
        if (f.variations().get(wv.variation()).equals(JsonValue.TRUE)) {
          w += wv.weight();
        }
      }
      return Optional.of(w / 1000.0);
    }
    int v = ((dev.flags.core.Serve.Variation) f.fallthrough()).index();
    return Optional.of(f.variations().get(v).equals(JsonValue.TRUE) ? 100.0 : 0.0);
  }

  static int targetCount(List<Target> targets) {
    return targets.stream().mapToInt(t -> t.keys().size()).sum();
  }
}
