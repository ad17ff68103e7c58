package dev.flags.core;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A clause made ready to evaluate: values parsed once (regexes compiled, versions, instants and
 * CIDR ranges parsed, strings gathered in sets). Matching allocates nothing except for operators
 * that must parse the context's attribute (before/after on strings, ipInRange) and {@code matches}.
 *
 * <p>{@code matches} is bounded, so a pathological pattern cannot crash or hang an evaluation:
 * attributes longer than {@link #MAX_REGEX_INPUT} do not match; each pattern runs over a {@link
 * BudgetedText} that stops it when it has read its share of the evaluation's {@link RegexBudget}
 * (reads and CPU time, shared by every pattern of the evaluation); and a {@link StackOverflowError}
 * from the regex engine's recursion is caught. A stopped pattern does not match. Each {@code
 * matches} evaluation of a string attribute allocates one small wrapper and one {@link
 * java.util.regex.Matcher} per pattern (as it always did); nothing else.
 */
final class CompiledClause {
  /** Longest attribute value a regex is run against; longer values do not match. */
  static final int MAX_REGEX_INPUT = 1024;

  private static final int SMALL = 8;

  final String attribute;

  /** Which attribute: resolved once here, so evaluation does not switch on the name. */
  final int attributeSource;

  static final int CUSTOM = 0;
  static final int KEY = 1;
  static final int KIND = 2;
  static final int ANONYMOUS = 3;
  final @Nullable Operator op; // null: unknown operator, never matches
  final boolean negate;
  final boolean ignoreCase;

  /**
   * {@code in} over a few case-sensitive strings on a custom attribute: the most common clause,
   * given a path without the general dispatch.
   */
  final boolean plainStringIn;

  private final String[] strings; // string values as written
  private final @Nullable Set<String> stringSet; // for IN with many string values
  private final BigDecimal[] numbers;
  private final boolean hasTrue;
  private final boolean hasFalse;
  // The arrays below are empty unless the operator reads them.
  private final Pattern[] patterns;
  private final int[] checkEvery; // per pattern: how often its reads look at the clock
  private final SemanticVersion[] versions;
  private final long[] instants;
  private final Cidr[] ranges;

  private CompiledClause(Clause c) {
    this.attribute = c.attribute().intern(); // so the context's probe matches by identity
    this.attributeSource =
        switch (attribute) {
          case "key" -> KEY;
          case "kind" -> KIND;
          case "anonymous" -> ANONYMOUS;
          default -> CUSTOM;
        };
    this.op = c.operator().orElse(null);
    this.negate = c.negate();
    this.ignoreCase = c.ignoreCase();
    List<JsonValue> values = c.values();
    // Loops rather than streams for every clause: start-up compiles thousands of them interpreted.
    List<String> texts = new ArrayList<>(values.size());
    List<BigDecimal> nums = new ArrayList<>(0);
    for (JsonValue v : values) {
      if (v instanceof JsonValue.Str str) {
        texts.add(str.value());
      } else if (v instanceof JsonValue.Num num) {
        nums.add(num.value());
      }
    }
    String[] s = texts.toArray(new String[0]);
    this.numbers = nums.toArray(new BigDecimal[0]);
    this.hasTrue = values.contains(JsonValue.TRUE);
    this.hasFalse = values.contains(JsonValue.FALSE);
    @Nullable Set<String> set = null;
    if (op == Operator.IN && s.length > SMALL && !ignoreCase) {
      // Case-insensitive lists stay linear: equalsIgnoreCase has no exact hash-set equivalent.
      set = new HashSet<>(java.util.Arrays.asList(s));
    }
    this.strings = s;
    this.stringSet = set;
    this.plainStringIn =
        op == Operator.IN
            && !ignoreCase
            && set == null
            && attributeSource == CUSTOM
            && s.length == values.size();
    this.patterns = op == Operator.MATCHES ? compilePatterns(s, ignoreCase) : new Pattern[0];
    this.checkEvery = op == Operator.MATCHES ? checkIntervals(s) : new int[0];
    this.versions =
        op == Operator.SEMVER_EQ || op == Operator.SEMVER_LT || op == Operator.SEMVER_GT
            ? values.stream()
                .map(
                    v -> v instanceof JsonValue.Str str ? SemanticVersion.parse(str.value()) : null)
                .filter(v -> v != null)
                .toArray(SemanticVersion[]::new)
            : new SemanticVersion[0];
    this.instants =
        op == Operator.BEFORE || op == Operator.AFTER
            ? values.stream()
                .mapToLong(Instants::parseMillis)
                .filter(m -> m != Long.MIN_VALUE)
                .toArray()
            : new long[0];
    this.ranges =
        op == Operator.IP_IN_RANGE
            ? java.util.Arrays.stream(s)
                .map(Cidr::parse)
                .filter(r -> r != null)
                .toArray(Cidr[]::new)
            : new Cidr[0];
  }

  static CompiledClause compile(Clause clause) {
    return new CompiledClause(clause);
  }

  static CompiledClause[] compileAll(List<Clause> clauses) {
    CompiledClause[] out = new CompiledClause[clauses.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new CompiledClause(clauses.get(i));
    }
    return out;
  }

  private static Pattern[] compilePatterns(String[] regexes, boolean ignoreCase) {
    Pattern[] out = new Pattern[regexes.length];
    for (int i = 0; i < regexes.length; i++) {
      out[i] =
          Pattern.compile(
              regexes[i], ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }
    return out;
  }

  /**
   * Long patterns (long character classes above all) cost microseconds a read, so they look at the
   * clock more often: the ceiling is overshot by at most about 64 reads of the dearest pattern.
   */
  private static int[] checkIntervals(String[] regexes) {
    int[] out = new int[regexes.length];
    for (int i = 0; i < regexes.length; i++) {
      out[i] = regexes[i].length() > 256 ? RegexBudget.CHECK_EVERY_LONG : RegexBudget.CHECK_EVERY;
    }
    return out;
  }

  /** The context's value of this clause's attribute, or {@code null}. */
  @Nullable JsonValue valueIn(EvaluationContext context) {
    return attributeSource == CUSTOM ? context.customValue(attribute) : context.valueOf(attribute);
  }

  /** For {@link #plainStringIn} clauses: whether {@code s} is one of the values. */
  boolean inStrings(String s) {
    for (String candidate : strings) {
      if (candidate.equals(s)) {
        return true;
      }
    }
    return false;
  }

  /** Segment keys of a segmentMatch clause. */
  String[] segmentKeys() {
    return strings;
  }

  /**
   * Whether the attribute value matches any of the values (before negation). Lists match when any
   * element does.
   */
  boolean matchesValue(JsonValue value) {
    if (value instanceof JsonValue.Arr arr) {
      List<JsonValue> elements = arr.elements();
      for (int i = 0, n = elements.size(); i < n; i++) {
        if (matchesSingle(elements.get(i))) {
          return true;
        }
      }
      return false;
    }
    return matchesSingle(value);
  }

  private boolean matchesSingle(JsonValue v) {
    Operator o = op;
    if (o == null) {
      return false; // an unknown operator never matches
    }
    switch (o) {
      case IN:
        return matchesIn(v);
      case STARTS_WITH:
      case ENDS_WITH:
      case CONTAINS:
        return v instanceof JsonValue.Str s && matchesString(s.value());
      case MATCHES:
        return v instanceof JsonValue.Str s && matchesRegex(s.value());
      case EQ:
      case LT:
      case LTE:
      case GT:
      case GTE:
        return v instanceof JsonValue.Num n && matchesNumber(n.value());
      case SEMVER_EQ:
      case SEMVER_LT:
      case SEMVER_GT:
        return v instanceof JsonValue.Str s && matchesVersion(s.value());
      case BEFORE:
      case AFTER:
        return matchesInstant(v);
      case IP_IN_RANGE:
        return v instanceof JsonValue.Str s && matchesIp(s.value());
      default:
        return false;
    }
  }

  private boolean matchesIn(JsonValue v) {
    if (v instanceof JsonValue.Str str) {
      String s = str.value();
      if (stringSet != null) {
        return stringSet.contains(s);
      }
      for (String candidate : strings) {
        if (ignoreCase ? candidate.equalsIgnoreCase(s) : candidate.equals(s)) {
          return true;
        }
      }
      return false;
    } else if (v instanceof JsonValue.Num n) {
      for (BigDecimal candidate : numbers) {
        if (candidate.compareTo(n.value()) == 0) {
          return true;
        }
      }
      return false;
    } else if (v instanceof JsonValue.Bool b) {
      return b.value() ? hasTrue : hasFalse;
    }
    return false;
  }

  private boolean matchesString(String s) {
    Operator o = op;
    if (o == null) {
      return false;
    }
    for (String candidate : strings) {
      boolean hit;
      switch (o) {
        case STARTS_WITH:
          hit = s.regionMatches(ignoreCase, 0, candidate, 0, candidate.length());
          break;
        case ENDS_WITH:
          hit =
              s.length() >= candidate.length()
                  && s.regionMatches(
                      ignoreCase,
                      s.length() - candidate.length(),
                      candidate,
                      0,
                      candidate.length());
          break;
        default:
          hit = contains(s, candidate);
      }
      if (hit) {
        return true;
      }
    }
    return false;
  }

  private boolean contains(String s, String candidate) {
    if (!ignoreCase) {
      return s.contains(candidate);
    }
    int n = candidate.length();
    for (int i = 0, last = s.length() - n; i <= last; i++) {
      if (s.regionMatches(true, i, candidate, 0, n)) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesRegex(String s) {
    if (s.length() > MAX_REGEX_INPUT) {
      return false;
    }
    RegexBudget budget = RegexBudget.current();
    BudgetedText text = new BudgetedText(s, budget);
    for (int i = 0; i < patterns.length; i++) {
      if (budget.exhausted()) {
        return false; // this evaluation has used up its regex work: no pattern may run
      }
      int quota = Math.min(RegexBudget.PATTERN_READS, budget.reads);
      text.remaining = quota;
      text.checkEvery = checkEvery[i];
      budget.untilCheck = Math.min(budget.untilCheck, checkEvery[i]);
      budget.startPattern();
      try {
        if (patterns[i].matcher(text).find()) {
          return true;
        }
      } catch (BudgetExhausted | StackOverflowError e) {
        // Too much backtracking, time or recursion for this value: it does not match this pattern.
      } finally {
        budget.reads -= quota - Math.max(0, text.remaining);
      }
    }
    return false;
  }

  /** Thrown when a regex has read its budget of characters; preallocated, without a stack trace. */
  private static final class BudgetExhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    // One preallocated instance without a stack trace: it is control flow, thrown per evaluation.
    @SuppressWarnings("StaticAssignmentOfThrowable")
    static final BudgetExhausted INSTANCE = new BudgetExhausted();

    private BudgetExhausted() {
      super("regex step budget exhausted", null, false, false);
    }
  }

  /**
   * An attribute value that counts the characters the regex engine reads and throws {@link
   * BudgetExhausted} once the pattern's share of reads is used, or, looking at the clock every
   * {@code checkEvery} reads, once the evaluation's CPU time is. Used by one thread for one
   * evaluation.
   */
  private static final class BudgetedText implements CharSequence {
    private final String s;
    private final RegexBudget budget;
    int remaining;
    int checkEvery;

    BudgetedText(String s, RegexBudget budget) {
      this.s = s;
      this.budget = budget;
    }

    @Override
    public char charAt(int index) {
      if (--remaining < 0 || (--budget.untilCheck <= 0 && budget.checkClock(checkEvery))) {
        throw BudgetExhausted.INSTANCE;
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.subSequence(start, end);
    }

    @Override
    public String toString() {
      return s;
    }
  }

  private boolean matchesNumber(BigDecimal attribute) {
    Operator o = op;
    if (o == null) {
      return false;
    }
    for (BigDecimal candidate : numbers) {
      int c = attribute.compareTo(candidate);
      boolean hit =
          switch (o) {
            case EQ -> c == 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
          };
      if (hit) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesVersion(String s) {
    for (SemanticVersion candidate : versions) {
      int c = candidate.compareFrom(s); // no allocation: the attribute is compared as text
      if (c == SemanticVersion.INVALID) {
        return false;
      }
      boolean hit = op == Operator.SEMVER_EQ ? c == 0 : op == Operator.SEMVER_LT ? c < 0 : c > 0;
      if (hit) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesInstant(JsonValue v) {
    long millis = Instants.parseMillis(v);
    if (millis == Long.MIN_VALUE) {
      return false;
    }
    for (long candidate : instants) {
      if (op == Operator.BEFORE ? millis < candidate : millis > candidate) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesIp(String s) {
    byte[] address = IpAddresses.parse(s);
    if (address == null) {
      return false;
    }
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
