package dev.flags.core.admin;

import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.FlagValidationException;
import dev.flags.core.JsonValue;
import dev.flags.core.Rollout;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The edits of {@link FlagAdmin}, made on the stored JSON rather than on the model: a member this
 * SDK version does not know (written by a newer one: a new operator, a new field) is kept exactly
 * as it was, so an older instance in a mixed fleet can still turn a flag off, ramp it or target a
 * user without damaging it. Each edit is a pure function of the stored object and the flag it
 * decodes to.
 */
final class FlagEdits {

  /** The members of a flag object this version writes; any other member is someone else's. */
  static final Set<String> KNOWN_MEMBERS =
      Set.of(
          "key",
          "version",
          "on",
          "variations",
          "offVariation",
          "fallthrough",
          "targets",
          "rules",
          "prerequisites",
          "salt",
          "description",
          "owner",
          "tags",
          "createdAt",
          "killDate");

  private FlagEdits() {}

  /** One edit of a stored flag. */
  @FunctionalInterface
  interface Edit {
    /**
     * @param json the stored flag object
     * @param flag what it decodes to
     * @return the edited object
     * @throws IllegalArgumentException if the edit does not apply to this flag, saying why
     */
    JsonValue.Obj apply(JsonValue.Obj json, Flag flag);
  }

  /** Turns targeting on or off. */
  static Edit on(boolean on) {
    return (json, flag) -> with(json, "on", JsonValue.of(on));
  }

  /**
   * Sets the share of contexts a boolean flag's fallthrough serves {@code true} to, keeping the
   * rollout's algorithm, bucketBy, every other member, and the order of its weights: the bucket
   * range serving {@code true} stays at the same end, so ramping up only adds contexts and ramping
   * down only removes them.
   */
  static Edit rolloutPercentage(double percent) {
    int onWeight = percentToWeight(percent);
    return (json, flag) -> {
      int t = booleanIndex(flag, true);
      int f = booleanIndex(flag, false);
      JsonValue fallthrough = json.members().get("fallthrough");
      JsonValue.Obj rollout =
          fallthrough instanceof JsonValue.Obj ft
                  && ft.members().get("rollout") instanceof JsonValue.Obj r
              ? r
              : null;
      List<JsonValue> weights = new ArrayList<>();
      if (rollout == null) {
        weights.add(weight(null, t, onWeight));
        weights.add(weight(null, f, Rollout.TOTAL_WEIGHT - onWeight));
        return with(
            json, "fallthrough", obj("rollout", obj("weights", new JsonValue.Arr(weights))));
      }
      boolean sawTrue = false;
      boolean sawFalse = false;
      JsonValue ws = rollout.members().get("weights");
      List<JsonValue> old = ws instanceof JsonValue.Arr a ? a.elements() : List.of();
      for (JsonValue w : old) {
        int v = variationOf(w);
        if (v == t && !sawTrue) {
          sawTrue = true;
          weights.add(weight((JsonValue.Obj) w, t, onWeight));
        } else if (v == f && !sawFalse) {
          sawFalse = true;
          weights.add(weight((JsonValue.Obj) w, f, Rollout.TOTAL_WEIGHT - onWeight));
        } else {
          throw new FlagValidationException(
              "fallthrough.rollout.weights",
              "flag "
                  + flag.key()
                  + "'s rollout lists a variation more than once or one that is neither true nor"
                  + " false; change it with a full replace");
        }
      }
      // A missing side joins where it takes no bucket from the other: true first, as
      // Rollout.percentage lays them out, false last.
      if (!sawTrue) {
        weights.add(0, weight(null, t, onWeight));
      }
      if (!sawFalse) {
        weights.add(weight(null, f, Rollout.TOTAL_WEIGHT - onWeight));
      }
      JsonValue.Obj newRollout = with(rollout, "weights", new JsonValue.Arr(weights));
      // A rollout was found, so the fallthrough is an object.
      JsonValue.Obj ft = (JsonValue.Obj) Objects.requireNonNull(fallthrough);
      return with(json, "fallthrough", with(ft, "rollout", newRollout));
    };
  }

  /**
   * Serves {@code variation} to these context keys, moving them from any other variation's target.
   */
  static Edit addTargets(int variation, Collection<String> keys) {
    Set<String> add = new LinkedHashSet<>(keys);
    return (json, flag) -> {
      checkVariation(flag, variation);
      List<JsonValue> out = new ArrayList<>();
      boolean placed = false;
      for (JsonValue t : targets(json)) {
        JsonValue.Obj target = (JsonValue.Obj) t;
        Set<String> values = values(target);
        if (variationOf(target) == variation && !placed) {
          values.addAll(add);
          placed = true;
        } else {
          values.removeAll(add);
        }
        if (!values.isEmpty()) {
          out.add(withValues(target, values));
        }
      }
      if (!placed && !add.isEmpty()) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("variation", JsonValue.of(variation));
        out.add(withValues(new JsonValue.Obj(m), add));
      }
      return withTargets(json, out);
    };
  }

  /** Stops serving {@code variation} individually to these context keys. */
  static Edit removeTargets(int variation, Collection<String> keys) {
    Set<String> remove = new LinkedHashSet<>(keys);
    return (json, flag) -> {
      checkVariation(flag, variation);
      List<JsonValue> out = new ArrayList<>();
      for (JsonValue t : targets(json)) {
        JsonValue.Obj target = (JsonValue.Obj) t;
        Set<String> values = values(target);
        if (variationOf(target) == variation) {
          values.removeAll(remove);
        }
        if (!values.isEmpty()) {
          out.add(withValues(target, values));
        }
      }
      return withTargets(json, out);
    };
  }

  /** Replaces the description, owner, tags and dates. */
  static Edit metadata(java.util.function.UnaryOperator<FlagMetadata> change) {
    return (json, flag) -> {
      FlagMetadata m = change.apply(flag.metadata());
      Map<String, JsonValue> out = new LinkedHashMap<>(json.members());
      put(out, "description", m.description().isEmpty() ? null : JsonValue.of(m.description()));
      put(out, "owner", m.owner().isEmpty() ? null : JsonValue.of(m.owner()));
      put(out, "tags", m.tags().isEmpty() ? null : JsonValue.from(m.tags()));
      put(
          out,
          "createdAt",
          m.createdAt().map(i -> (JsonValue) JsonValue.of(i.toString())).orElse(null));
      put(
          out,
          "killDate",
          m.killDate().map(i -> (JsonValue) JsonValue.of(i.toString())).orElse(null));
      return new JsonValue.Obj(out);
    };
  }

  /** Sets the {@code version} member: informational, the repository's version is the truth. */
  static JsonValue.Obj withVersion(JsonValue.Obj json, long version) {
    return with(json, "version", JsonValue.of(version));
  }

  /** Whether every member of {@code json} is one this version knows (so nothing is lost). */
  static boolean onlyKnownMembers(JsonValue.Obj json) {
    return KNOWN_MEMBERS.containsAll(json.members().keySet());
  }

  /**
   * {@code percent} as a weight in thousandths of a percent.
   *
   * @throws IllegalArgumentException if not within 0..100
   */
  static int percentToWeight(double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          "percentage: must be within 0..100 (0.001 steps), got " + percent);
    }
    return (int) Math.round(percent * 1000);
  }

  /** The index of the variation serving {@code value} in a boolean flag. */
  static int booleanIndex(Flag flag, boolean value) {
    if (!flag.isBoolean()) {
      throw new IllegalArgumentException(
          "flag "
              + flag.key()
              + " is not a boolean flag: its variations are "
              + flag.variations()
              + "; set its rollout with a full replace");
    }
    int index = flag.variations().indexOf(JsonValue.of(value));
    if (index < 0) {
      throw new IllegalArgumentException(
          "flag "
              + flag.key()
              + " has no "
              + value
              + " variation; set its rollout with a full replace");
    }
    return index;
  }

  private static void checkVariation(Flag f, int variation) {
    if (variation < 0 || variation >= f.variations().size()) {
      throw new IllegalArgumentException(
          "variation: flag "
              + f.key()
              + " has "
              + f.variations().size()
              + " variation(s), got index "
              + variation);
    }
  }

  private static List<JsonValue> targets(JsonValue.Obj json) {
    return json.members().get("targets") instanceof JsonValue.Arr a ? a.elements() : List.of();
  }

  private static JsonValue.Obj withTargets(JsonValue.Obj json, List<JsonValue> targets) {
    Map<String, JsonValue> out = new LinkedHashMap<>(json.members());
    put(out, "targets", targets.isEmpty() ? null : new JsonValue.Arr(targets));
    return new JsonValue.Obj(out);
  }

  private static Set<String> values(JsonValue.Obj target) {
    Set<String> out = new LinkedHashSet<>();
    if (target.members().get("values") instanceof JsonValue.Arr a) {
      for (JsonValue v : a.elements()) {
        if (v instanceof JsonValue.Str s) {
          out.add(s.value());
        }
      }
    }
    return out;
  }

  private static JsonValue.Obj withValues(JsonValue.Obj target, Set<String> values) {
    List<JsonValue> list = new ArrayList<>(values.size());
    for (String v : values) {
      list.add(JsonValue.of(v));
    }
    return with(target, "values", new JsonValue.Arr(list));
  }

  private static int variationOf(JsonValue obj) {
    if (obj instanceof JsonValue.Obj o && o.members().get("variation") instanceof JsonValue.Num n) {
      BigDecimal d = n.value();
      try {
        return d.intValueExact();
      } catch (ArithmeticException e) {
        return -1;
      }
    }
    return -1;
  }

  private static JsonValue weight(JsonValue.@Nullable Obj old, int variation, int weight) {
    Map<String, JsonValue> m =
        old == null ? new LinkedHashMap<>() : new LinkedHashMap<>(old.members());
    m.put("variation", JsonValue.of(variation));
    m.put("weight", JsonValue.of(weight));
    return new JsonValue.Obj(m);
  }

  private static JsonValue.Obj obj(String name, JsonValue value) {
    Map<String, JsonValue> m = new LinkedHashMap<>();
    m.put(name, value);
    return new JsonValue.Obj(m);
  }

  static JsonValue.Obj with(JsonValue.Obj json, String name, JsonValue value) {
    Map<String, JsonValue> out = new LinkedHashMap<>(json.members());
    out.put(name, value);
    return new JsonValue.Obj(out);
  }

  private static void put(Map<String, JsonValue> members, String name, @Nullable JsonValue value) {
    if (value == null) {
      members.remove(name);
    } else {
      members.put(name, value);
    }
  }
}
