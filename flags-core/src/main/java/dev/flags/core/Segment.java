package dev.flags.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named, reusable group of contexts, referenced from clauses with {@link Operator#SEGMENT_MATCH}.
 * A context is in the segment when its key is {@code included}; otherwise, when its key is not
 * {@code excluded} and any rule matches (all clauses of that rule). The key lists name
 * non-anonymous contexts: an anonymous one is judged by the rules alone (see {@link
 * EvaluationContext#anonymous()}). Segment rules cannot reference segments. Immutable and
 * thread-safe.
 *
 * @param key the segment key, same rule as flag keys
 * @param version increases with every change
 * @param included keys always in the segment
 * @param excluded keys never in the segment (unless included)
 * @param rules rules, any of which puts a context in the segment
 * @param description what the group is; may be empty
 */
public record Segment(
    String key,
    long version,
    Set<String> included,
    Set<String> excluded,
    List<SegmentRule> rules,
    String description) {

  public Segment {
    FlagKeys.check(key, "key");
    if (version < 0) {
      throw new FlagValidationException("version", "version must be >= 0, got " + version);
    }
    included = Set.copyOf(included);
    excluded = Set.copyOf(excluded);
    rules = List.copyOf(rules);
    Objects.requireNonNull(description, "description");
  }

  /** Starts a segment. */
  public static Builder builder(String key) {
    return new Builder(key);
  }

  /** Builds a {@link Segment}; not thread-safe. */
  public static final class Builder {
    private final String key;
    private long version;
    private final List<String> included = new ArrayList<>();
    private final List<String> excluded = new ArrayList<>();
    private final List<SegmentRule> rules = new ArrayList<>();
    private String description = "";

    private Builder(String key) {
      this.key = key;
    }

    /** Sets the version. */
    public Builder version(long version) {
      this.version = version;
      return this;
    }

    /** Adds keys that are always in the segment. */
    public Builder include(String... keys) {
      included.addAll(List.of(keys));
      return this;
    }

    /** Adds keys that are never in the segment unless included. */
    public Builder exclude(String... keys) {
      excluded.addAll(List.of(keys));
      return this;
    }

    /** Adds a rule: contexts matching all these clauses are in the segment. */
    public Builder rule(Clause... clauses) {
      rules.add(new SegmentRule("", List.of(clauses)));
      return this;
    }

    /** Sets the description. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /**
     * @throws FlagValidationException naming the path of the first problem
     */
    public Segment build() {
      return new Segment(
          key, version, Set.copyOf(included), Set.copyOf(excluded), rules, description);
    }
  }
}
