package dev.flags.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A feature flag definition: what a store holds and the client compiles. Validated when
 * constructed; every problem is reported as a {@link FlagValidationException} naming its path (as
 * in the JSON format, for example {@code rules[1].rollout.weights}).
 *
 * <p>Evaluation order: if the flag is off, serve {@code offVariation} (the kill switch). Otherwise
 * check prerequisites (each must be on and serve its variation; any failing → {@code
 * offVariation}), then individual targets, then rules in order, then the fallthrough.
 *
 * <p>Limits, the evaluator's own: {@link #MAX_VARIATIONS}, {@link #MAX_RULES}, {@link
 * #MAX_PREREQUISITES}, and chains of prerequisites no longer than {@link #MAX_PREREQUISITE_DEPTH}
 * (checked by {@link FlagSet} and the client, which see the other flags).
 *
 * <p>Build one with {@link #builder(String)}, or {@link #simple(String, boolean)} for an on/off
 * switch. Immutable and thread-safe.
 *
 * @param key the flag key: 1..128 letters, digits, '_', '-' or '.'
 * @param version increases with every change; 0 when unknown
 * @param on whether targeting is on; when off the flag serves {@code offVariation}
 * @param variations the values the flag can serve, at least one; a boolean flag has {@code [false,
 *     true]}
 * @param offVariation what an off flag serves
 * @param fallthrough what an on flag serves when no target or rule matches
 * @param targets individual targets; a key may appear in one target only
 * @param rules targeting rules, tried in order
 * @param prerequisites flags that must be on and serve given variations first
 * @param salt the salt of the bucketing hash; empty means the flag key
 * @param metadata description, owner, tags, dates
 * @param guardedRollout the flag's guarded rollout plan, if it has one
 */
public record Flag(
    String key,
    long version,
    boolean on,
    List<JsonValue> variations,
    int offVariation,
    Serve fallthrough,
    List<Target> targets,
    List<Rule> rules,
    List<Prerequisite> prerequisites,
    Optional<String> salt,
    FlagMetadata metadata,
    Optional<GuardedRollout> guardedRollout) {

  /** The variations of a boolean flag: {@code false} is 0, {@code true} is 1. */
  public static final List<JsonValue> BOOLEAN_VARIATIONS = List.of(JsonValue.FALSE, JsonValue.TRUE);

  /**
   * The most variations a flag may have: the evaluator packs the index of the variation it serves
   * in 16 bits (see {@code docs/limits.md}).
   */
  public static final int MAX_VARIATIONS = 65_535;

  /**
   * The most rules a flag may have; also the most prerequisites. The evaluator reports the index of
   * the rule that matched (or of the prerequisite that failed) in 20 bits.
   */
  public static final int MAX_RULES = 1_000_000;

  /** The most prerequisites a flag may have; see {@link #MAX_RULES}. */
  public static final int MAX_PREREQUISITES = MAX_RULES;

  /**
   * The longest chain of prerequisites the evaluator follows: a flag whose prerequisite has a
   * prerequisite… at most 64 links ({@code a -> b} is one). A set with a longer chain is refused,
   * and a client marks the flag at its top malformed.
   */
  public static final int MAX_PREREQUISITE_DEPTH = 64;

  public Flag {
    FlagKeys.check(key, "key");
    if (version < 0) {
      throw new FlagValidationException("version", "version must be >= 0, got " + version);
    }
    variations = List.copyOf(variations);
    Objects.requireNonNull(fallthrough, "fallthrough");
    targets = List.copyOf(targets);
    rules = List.copyOf(rules);
    prerequisites = List.copyOf(prerequisites);
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(guardedRollout, "guardedRollout");
    validate(key, variations, offVariation, fallthrough, targets, rules, prerequisites, salt);
    if (guardedRollout.isPresent()) {
      GuardedRollout g = guardedRollout.get();
      if (g.variation() >= variations.size()) {
        throw new FlagValidationException(
            "guardedRollout.variation",
            "no variation " + g.variation() + " (the flag has " + variations.size() + ")");
      }
      if (g.baseline() >= variations.size()) {
        throw new FlagValidationException(
            "guardedRollout.baseline",
            "no variation " + g.baseline() + " (the flag has " + variations.size() + ")");
      }
    }
  }

  /** A flag without a guarded rollout plan. */
  public Flag(
      String key,
      long version,
      boolean on,
      List<JsonValue> variations,
      int offVariation,
      Serve fallthrough,
      List<Target> targets,
      List<Rule> rules,
      List<Prerequisite> prerequisites,
      Optional<String> salt,
      FlagMetadata metadata) {
    this(
        key,
        version,
        on,
        variations,
        offVariation,
        fallthrough,
        targets,
        rules,
        prerequisites,
        salt,
        metadata,
        Optional.empty());
  }

  /**
   * An on/off switch: a boolean flag that serves {@code value} to everyone ({@code false} is off).
   */
  public static Flag simple(String key, boolean value) {
    return builder(key).on(value).build();
  }

  /** Starts a boolean flag (variations {@code [false, true]}, serving {@code true} when on). */
  public static Builder builder(String key) {
    return new Builder(key);
  }

  /** Starts a builder holding this flag's values. */
  public Builder toBuilder() {
    Builder b = new Builder(key);
    b.version = version;
    b.on = on;
    b.variations = variations;
    b.offVariation = offVariation;
    b.fallthrough = fallthrough;
    b.targets.addAll(targets);
    b.rules.addAll(rules);
    b.prerequisites.addAll(prerequisites);
    b.salt = salt;
    b.description = metadata.description();
    b.owner = metadata.owner();
    b.tags = metadata.tags();
    b.createdAt = metadata.createdAt();
    b.killDate = metadata.killDate();
    b.guardedRollout = guardedRollout;
    return b;
  }

  /** The salt actually used: {@link #salt()} or, when empty, the key. */
  public String effectiveSalt() {
    return salt.orElse(key);
  }

  /** Whether every variation is a JSON boolean. */
  public boolean isBoolean() {
    return variations.stream().allMatch(v -> v instanceof JsonValue.Bool);
  }

  private static void validate(
      String key,
      List<JsonValue> variations,
      int offVariation,
      Serve fallthrough,
      List<Target> targets,
      List<Rule> rules,
      List<Prerequisite> prerequisites,
      Optional<String> salt) {
    int n = variations.size();
    if (n == 0) {
      throw new FlagValidationException("variations", "a flag needs at least one variation");
    }
    if (n > MAX_VARIATIONS) {
      throw new FlagValidationException(
          "variations", "a flag has at most " + MAX_VARIATIONS + " variations, got " + n);
    }
    if (rules.size() > MAX_RULES) {
      throw new FlagValidationException(
          "rules", "a flag has at most " + MAX_RULES + " rules, got " + rules.size());
    }
    if (prerequisites.size() > MAX_PREREQUISITES) {
      throw new FlagValidationException(
          "prerequisites",
          "a flag has at most "
              + MAX_PREREQUISITES
              + " prerequisites, got "
              + prerequisites.size());
    }
    checkIndex("offVariation", offVariation, n);
    // Paths are built only for a problem: a set of 10,000 flags otherwise builds 100,000 strings.
    if (!inRange(fallthrough, n)) {
      checkServe("fallthrough", fallthrough, n);
    }
    // A target's keys are a set already: only several targets can share a key.
    Set<String> targeted = targets.size() > 1 ? new HashSet<>() : null;
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      if (t.variation() < 0 || t.variation() >= n) {
        checkIndex("targets[" + i + "].variation", t.variation(), n);
      }
      if (targeted == null) {
        continue;
      }
      for (String k : t.keys()) {
        if (!targeted.add(k)) {
          throw new FlagValidationException(
              "targets[" + i + "].values",
              "key \"" + k + "\" is targeted by more than one variation");
        }
      }
    }
    Set<String> ruleIds = null;
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (!inRange(r.serve(), n)) {
        checkServe("rules[" + i + "]", r.serve(), n);
      }
      if (r.id().isEmpty()) {
        continue;
      }
      if (ruleIds == null) {
        ruleIds = new HashSet<>();
      }
      if (!ruleIds.add(r.id())) {
        throw new FlagValidationException(
            "rules[" + i + "].id", "duplicate rule id \"" + r.id() + "\"");
      }
    }
    for (int i = 0; i < prerequisites.size(); i++) {
      if (prerequisites.get(i).flagKey().equals(key)) {
        throw new FlagValidationException(
            "prerequisites[" + i + "].key", "a flag cannot be its own prerequisite");
      }
    }
    if (salt.isPresent() && salt.get().isEmpty()) {
      throw new FlagValidationException(
          "salt", "salt must not be empty; omit it to use the flag key");
    }
  }

  /** Whether every variation index {@code serve} names is below {@code n}. */
  private static boolean inRange(Serve serve, int n) {
    if (serve instanceof Serve.Variation v) {
      return v.index() >= 0 && v.index() < n;
    }
    if (serve instanceof Rollout r) {
      for (int i = 0; i < r.weights().size(); i++) {
        int index = r.weights().get(i).variation();
        if (index < 0 || index >= n) {
          return false;
        }
      }
    }
    return true;
  }

  private static void checkServe(String path, Serve serve, int n) {
    if (serve instanceof Serve.Variation v) {
      checkIndex(path + ".variation", v.index(), n);
    } else if (serve instanceof Rollout r) {
      for (int i = 0; i < r.weights().size(); i++) {
        checkIndex(
            path + ".rollout.weights[" + i + "].variation", r.weights().get(i).variation(), n);
      }
    }
  }

  private static void checkIndex(String path, int index, int n) {
    if (index < 0 || index >= n) {
      throw new FlagValidationException(
          path,
          "variation index " + index + " is out of range: the flag has " + n + " variation(s)");
    }
  }

  /**
   * Builds a {@link Flag}. Starts as an on boolean flag serving {@code true}; every part of the
   * model can be set, so tests can build any flag in code. Not thread-safe.
   */
  public static final class Builder {
    private final String key;
    private long version;
    private boolean on = true;
    private List<JsonValue> variations = BOOLEAN_VARIATIONS;
    private int offVariation;
    private Serve fallthrough = Serve.variation(1);
    private final List<Target> targets = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Prerequisite> prerequisites = new ArrayList<>();
    private Optional<String> salt = Optional.empty();
    private String description = "";
    private String owner = "";
    private List<String> tags = List.of();
    private Optional<Instant> createdAt = Optional.empty();
    private Optional<Instant> killDate = Optional.empty();
    private Optional<GuardedRollout> guardedRollout = Optional.empty();

    private Builder(String key) {
      FlagKeys.check(key, "key");
      this.key = key;
    }

    /** Sets the version. */
    public Builder version(long version) {
      this.version = version;
      return this;
    }

    /** Turns targeting on or off (off serves the off variation: the kill switch). */
    public Builder on(boolean on) {
      this.on = on;
      return this;
    }

    /**
     * Replaces the variations; values are converted with {@link JsonValue#from}. Resets the off
     * variation to 0 and the fallthrough to variation 0; set them after.
     */
    public Builder variations(Object... values) {
      List<JsonValue> list = new ArrayList<>(values.length);
      for (Object v : values) {
        list.add(JsonValue.from(v));
      }
      this.variations = List.copyOf(list);
      this.offVariation = 0;
      this.fallthrough = Serve.variation(0);
      return this;
    }

    /** Sets what the flag serves when off. */
    public Builder offVariation(int index) {
      this.offVariation = index;
      return this;
    }

    /** Serves this variation when no target or rule matches. */
    public Builder fallthroughVariation(int index) {
      this.fallthrough = Serve.variation(index);
      return this;
    }

    /** For a boolean flag: serves {@code value} when no target or rule matches. */
    public Builder fallthrough(boolean value) {
      return fallthroughVariation(value ? 1 : 0);
    }

    /** Serves a rollout when no target or rule matches. */
    public Builder fallthroughRollout(Rollout rollout) {
      this.fallthrough = rollout;
      return this;
    }

    /**
     * For a boolean flag: {@code percent}% of contexts get {@code true}, the rest {@code false}.
     */
    public Builder percentageRollout(double percent) {
      return fallthroughRollout(Rollout.percentage(percent));
    }

    /** Serves variation {@code index} to the contexts with these keys. */
    public Builder target(int variation, String... keys) {
      return target(variation, List.of(keys));
    }

    /** Serves variation {@code index} to the contexts with these keys. */
    public Builder target(int variation, java.util.Collection<String> keys) {
      targets.add(Target.of(variation, keys));
      return this;
    }

    /** For a boolean flag: serves {@code value} to the contexts with these keys. */
    public Builder target(boolean value, String... keys) {
      return target(value ? 1 : 0, keys);
    }

    /** Adds a rule after the existing ones. */
    public Builder rule(Rule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** Requires flag {@code flagKey} to be on and serve {@code variation} first. */
    public Builder prerequisite(String flagKey, int variation) {
      prerequisites.add(new Prerequisite(flagKey, variation));
      return this;
    }

    /** Sets the bucketing salt (default: the flag key). */
    public Builder salt(String salt) {
      this.salt = Optional.of(salt);
      return this;
    }

    /** Sets the description. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Sets the owner. */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /** Sets the tags. */
    public Builder tags(String... tags) {
      this.tags = List.of(tags);
      return this;
    }

    /** Attaches a guarded rollout plan (docs/guarded-rollouts.md). */
    public Builder guardedRollout(GuardedRollout plan) {
      this.guardedRollout = Optional.of(plan);
      return this;
    }

    /** Removes the guarded rollout plan. */
    public Builder noGuardedRollout() {
      this.guardedRollout = Optional.empty();
      return this;
    }

    /** Sets the creation time. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Optional.of(createdAt);
      return this;
    }

    /** Sets the date after which the flag should be removed from the code. */
    public Builder killDate(Instant killDate) {
      this.killDate = Optional.of(killDate);
      return this;
    }

    /**
     * @throws FlagValidationException naming the path of the first problem
     */
    public Flag build() {
      return new Flag(
          key,
          version,
          on,
          variations,
          offVariation,
          fallthrough,
          targets,
          rules,
          prerequisites,
          salt,
          new FlagMetadata(description, owner, tags, createdAt, killDate),
          guardedRollout);
    }
  }
}
