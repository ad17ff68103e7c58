package dev.flags.benchmarks;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagValidationException;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.JsonValue;
import dev.flags.core.Rule;
import dev.flags.core.Serve;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The worst case of the regex budget (docs/limits.md): each flag of a small ReDoS corpus is
 * evaluated for its hostile value, and the slowest of {@code reps} evaluations is printed, wall and
 * CPU time. Run: {@code java -cp flags-benchmarks/target/benchmarks.jar
 * dev.flags.benchmarks.RegexBudgetMain [reps]}. Not thread-safe; a main.
 */
public final class RegexBudgetMain {
  private RegexBudgetMain() {}

  /** One corpus entry: the patterns of one {@code matches} clause and the value they run on. */
  record Entry(String name, List<String> patterns, String value) {}

  /** {@code ((?:[…n one-character ranges…a])+)+$}. */
  static String manyRanges(int n) {
    StringBuilder sb = new StringBuilder("((?:[");
    for (int i = 0; i < n; i++) {
      char c = (char) (0x100 + i);
      sb.append(c).append('-').append(c);
    }
    return sb.append("a])+)+$").toString();
  }

  /** The inputs, then classic catastrophic patterns, each on a 1,024-character value. */
  static List<Entry> corpus() {
    String as = "a".repeat(1023) + "!";
    List<Entry> c = new ArrayList<>();
    c.add(new Entry("ranges500 (issue)", List.of(manyRanges(500)), as));
    c.add(new Entry("ranges2000 (issue)", List.of(manyRanges(2000)), as));
    c.add(new Entry("1000 x (a+)+$ (issue)", Collections.nCopies(1000, "(a+)+$"), as));
    c.add(new Entry("(?i)(\\p{L}+)+$ (issue)", List.of("(?i)(\\p{L}+)+$"), as));
    c.add(new Entry("ranges678 (longest accepted)", List.of(manyRanges(678)), as));
    c.add(new Entry("(a*)*$", List.of("(a*)*$"), as));
    c.add(new Entry("(a|a)+$", List.of("(a|a)+$"), as));
    c.add(new Entry("(a|aa)+$", List.of("(a|aa)+$"), as));
    c.add(new Entry("(a|a?)+$", List.of("(a|a?)+$"), as));
    c.add(new Entry("(.*a){12}$", List.of("(.*a){12}$"), as));
    c.add(new Entry("^(a+)+\\1$", List.of("^(a+)+\\1$"), as));
    c.add(new Entry("^((?=a)a+)+$", List.of("^((?=a)a+)+$"), as));
    c.add(new Entry("(?:a{1,10}){1,100}$", List.of("(?:a{1,10}){1,100}$"), as));
    c.add(new Entry("(x+x+)+y", List.of("(x+x+)+y"), "x".repeat(1024)));
    c.add(new Entry("(\\w+\\s?)+$", List.of("(\\w+\\s?)+$"), "w".repeat(1023) + "!"));
    c.add(
        new Entry(
            "^(([a-z])+.)+[A-Z]([a-z])+$",
            List.of("^(([a-z])+.)+[A-Z]([a-z])+$"),
            "a".repeat(1024)));
    c.add(
        new Entry(
            "email (OWASP)",
            List.of(
                "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}"
                    + "(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$"),
            "a".repeat(1023) + "!"));
    c.add(new Entry("3 rules x 1000 x (a+)+$", Collections.nCopies(1000, "(a+)+$"), as));
    c.add(new Entry("1000 x (a*)*$", Collections.nCopies(1000, "(a*)*$"), as));
    c.add(new Entry("1000 x ranges500", Collections.nCopies(1000, manyRanges(500)), as));
    return c;
  }

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    InMemoryFlagStore store = InMemoryFlagStore.empty();
    try (Flags flags = Flags.builder().store(store).build()) {
      for (Entry e : corpus()) {
        Flag flag;
        try {
          List<JsonValue> values =
              e.patterns().stream().map(p -> (JsonValue) JsonValue.of(p)).toList();
          Rule rule =
              new Rule(
                  "",
                  List.of(new Clause("s", "matches", values, false, false)),
                  Serve.variation(1));
          Flag.Builder b = Flag.builder("f").fallthrough(false).rule(rule);
          if (e.name().startsWith("3 rules")) {
            b.rule(rule.withId("second")).rule(rule.withId("third"));
          }
          flag = b.build();
        } catch (FlagValidationException refused) {
          System.out.printf("%-30s refused when read: %s%n", e.name(), refused.getMessage());
          continue;
        }
        store.upsert(flag);
        EvaluationContext ctx = EvaluationContext.builder("u").set("s", e.value()).build();
        flags.isEnabled("f", ctx); // warm-up
        long wall = 0;
        long cpu = 0;
        boolean result = false;
        for (int i = 0; i < reps; i++) {
          long c0 = threads.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          result = flags.isEnabled("f", ctx);
          wall = Math.max(wall, System.nanoTime() - t0);
          cpu = Math.max(cpu, threads.getCurrentThreadCpuTime() - c0);
        }
        System.out.printf(
            "%-30s matches=%-5s worst of %d: wall %6.2f ms, cpu %6.2f ms%n",
            e.name(), result, reps, wall / 1e6, cpu / 1e6);
      }
    }
  }
}
