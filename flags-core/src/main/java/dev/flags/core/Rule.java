package dev.flags.core;

import java.util.List;
import java.util.Objects;

/**
 * A targeting rule: when all its clauses match, the flag serves {@link #serve()}. Rules are tried
 * in order; the first that matches wins. Immutable and thread-safe.
 *
 * @param id a stable name reported in evaluation reasons; may be empty
 * @param clauses the conditions, all of which must match (an empty list matches every context)
 * @param serve what the rule serves
 */
public record Rule(String id, List<Clause> clauses, Serve serve) {
  public Rule {
    Objects.requireNonNull(id, "id");
    clauses = List.copyOf(clauses);
    Objects.requireNonNull(serve, "serve");
  }

  /** Starts a rule from its clauses: {@code Rule.when(Clause.in("plan", "pro")).serve(1)}. */
  public static Builder when(Clause... clauses) {
    return new Builder(List.of(clauses));
  }

  /** Returns this rule with an id. */
  public Rule withId(String newId) {
    return new Rule(newId, clauses, serve);
  }

  /**
   * The second half of {@link Rule#when}. Unlike most builders it holds only an immutable list of
   * clauses and every method returns a new {@link Rule}, so it is immutable and thread-safe.
   */
  public static final class Builder {
    private final List<Clause> clauses;

    private Builder(List<Clause> clauses) {
      this.clauses = clauses;
    }

    /** The rule serves the variation at {@code index}. */
    public Rule serve(int variation) {
      return new Rule("", clauses, Serve.variation(variation));
    }

    /** The rule serves a boolean flag's value ({@code true} is variation 1). */
    public Rule serve(boolean value) {
      return serve(value ? 1 : 0);
    }

    /** The rule serves a rollout. */
    public Rule rollout(Rollout rollout) {
      return new Rule("", clauses, rollout);
    }
  }
}
