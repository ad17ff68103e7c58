package dev.flags.core.json;

import dev.flags.core.BucketingAlgorithm;
import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.Operator;
import dev.flags.core.Prerequisite;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import dev.flags.core.SegmentRule;
import dev.flags.core.Serve;
import dev.flags.core.Target;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The fast path of decoding: reads a document straight from its {@link String} into the model in
 * one pass, with no tree, no copy of the text, no path bookkeeping and no member-name strings.
 *
 * <p>It knows how to accept, not how to explain: at the first thing that is wrong, or merely
 * unusual (an exponent, a surrogate, a duplicate target key, a model rule broken), it gives up and
 * returns null, and the codec decodes the document again with {@link JsonParser} and {@link
 * FlagDecoder}, the reference implementation, which either returns the same value or throws the
 * exact error (path, line, column). So every error message still comes from one place, and this
 * class has one duty: to accept only documents the reference accepts, with an equal result ({@code
 * FastDecoderTest} checks both against the reference). Giving up is always safe, only slower.
 *
 * <p>One instance reads one document; not thread-safe.
 */
final class FastDecoder {

  /** Thrown to give up; preallocated and without a stack trace, so giving up costs nothing. */
  private static final class GiveUp extends RuntimeException {
    GiveUp() {
      super(null, null, false, false);
    }
  }

  // Preallocated, without a stack trace: control flow back to the full decoder, no error.
  @SuppressWarnings("StaticAssignmentOfThrowable")
  private static final GiveUp GIVE_UP = new GiveUp();

  private static final Operator[] OPERATORS = Operator.values();

  private final String s;
  private final int end;
  private final int maxDepth;
  private final int maxStringLength;
  private final boolean rejectUnknownOperators;
  private int pos;
  private int depth;

  /** Where the last member name read starts and ends (exclusive), without its quotes. */
  private int nameStart;

  private int nameEnd;

  /** Which known name the last member name read is, or -1. */
  private int nameOrdinal;

  /** Where the last number read starts, and whether it had no fraction. */
  private int numberStart;

  private boolean numberIntegral;

  /** Whether the last number read has an exponent. */
  private boolean numberExponent;

  /** Elements of the arrays being read, nested ones on top of outer ones. */
  private Object[] stack = new Object[8]; // grows; one decoder per document, so start small

  private int top;

  /** The largest flag or segment entry of a set, in characters. */
  private final int maxDefinitionChars;

  /** Where the set's entry being read may end at the latest; no limit outside entries. */
  private int definitionLimit = Integer.MAX_VALUE;

  private FastDecoder(
      String s,
      int maxDepth,
      int maxStringLength,
      boolean rejectUnknownOperators,
      int maxDefinitionChars) {
    this.s = s;
    this.end = s.length();
    this.maxDepth = maxDepth;
    this.maxStringLength = maxStringLength;
    this.rejectUnknownOperators = rejectUnknownOperators;
    this.maxDefinitionChars = maxDefinitionChars;
    // A byte order mark is skipped, as the reference does.
    this.pos = end > 0 && s.charAt(0) == '\uFEFF' ? 1 : 0;
  }

  /** The flag set {@code json} holds, or null when the reference decoder must decide. */
  static @Nullable FlagSet flagSet(
      String json,
      int maxDepth,
      int maxStringLength,
      boolean rejectUnknownOperators,
      int maxDefinitionChars) {
    FastDecoder d =
        new FastDecoder(
            json, maxDepth, maxStringLength, rejectUnknownOperators, maxDefinitionChars);
    try {
      d.skipWhitespace();
      FlagSet set = d.flagSet();
      d.finish();
      return set;
    } catch (RuntimeException | StackOverflowError e) {
      return null;
    }
  }

  /** The flag {@code json} holds, or null when the reference decoder must decide. */
  static @Nullable Flag flag(
      String json, String key, int maxDepth, int maxStringLength, boolean rejectUnknownOperators) {
    FastDecoder d =
        new FastDecoder(json, maxDepth, maxStringLength, rejectUnknownOperators, Integer.MAX_VALUE);
    try {
      d.skipWhitespace();
      if (d.peek() != '{') {
        return null;
      }
      Flag flag = d.flag(key);
      d.finish();
      return flag;
    } catch (RuntimeException | StackOverflowError e) {
      return null;
    }
  }

  /** The segment {@code json} holds, or null when the reference decoder must decide. */
  static @Nullable Segment segment(
      String json, String key, int maxDepth, int maxStringLength, boolean rejectUnknownOperators) {
    FastDecoder d =
        new FastDecoder(json, maxDepth, maxStringLength, rejectUnknownOperators, Integer.MAX_VALUE);
    try {
      d.skipWhitespace();
      Segment segment = d.segment(key);
      d.finish();
      return segment;
    } catch (RuntimeException | StackOverflowError e) {
      return null;
    }
  }

  /** The JSON value {@code json} holds, or null when the reference parser must decide. */
  static @Nullable JsonValue json(String json, int maxDepth, int maxStringLength) {
    FastDecoder d = new FastDecoder(json, maxDepth, maxStringLength, false, Integer.MAX_VALUE);
    try {
      d.skipWhitespace();
      JsonValue value = d.json();
      d.finish();
      return value;
    } catch (RuntimeException | StackOverflowError e) {
      return null;
    }
  }

  private void finish() {
    skipWhitespace();
    if (pos != end) {
      throw GIVE_UP;
    }
  }

  // ---------------------------------------------------------------- the format

  private FlagSet flagSet() {
    openObject();
    Map<String, Flag> flags = null;
    Map<String, Segment> segments = null;
    long seen = 0;
    Set<String> unknown = null;
    if (!closeIf('}')) {
      do {
        String name = name();
        if (name == null) {
          unknown = unknown(unknown);
          skipValue();
        } else {
          seen = mark(seen);
          // A member set to null is absent, as the reference reads it.
          if (!skipNull()) {
            switch (name) {
              case "flags" -> {
                flags = new LinkedHashMap<>();
                openObject();
                if (!closeIf('}')) {
                  do {
                    String key = memberName();
                    int from = pos;
                    definitionLimit =
                        (int) Math.min(Integer.MAX_VALUE, (long) from + maxDefinitionChars);
                    if (flags.put(key, flag(key)) != null || pos - from > maxDefinitionChars) {
                      throw GIVE_UP;
                    }
                    definitionLimit = Integer.MAX_VALUE;
                    skipWhitespace();
                  } while (next('}'));
                }
              }
              case "segments" -> {
                segments = new LinkedHashMap<>();
                openObject();
                if (!closeIf('}')) {
                  do {
                    String key = memberName();
                    int from = pos;
                    definitionLimit =
                        (int) Math.min(Integer.MAX_VALUE, (long) from + maxDefinitionChars);
                    if (segments.put(key, segment(key)) != null
                        || pos - from > maxDefinitionChars) {
                      throw GIVE_UP;
                    }
                    definitionLimit = Integer.MAX_VALUE;
                    skipWhitespace();
                  } while (next('}'));
                }
              }
              default -> skipValue();
            }
          }
        }
        skipWhitespace();
      } while (next('}'));
    }
    if (flags == null && segments == null) {
      throw GIVE_UP;
    }
    return new FlagSet(flags == null ? Map.of() : flags, segments == null ? Map.of() : segments);
  }

  /** A flag object, or {@code true}/{@code false} for an on/off switch. */
  private Flag flag(String key) {
    char c = peek();
    if (c == 't' || c == 'f') {
      return Flag.simple(key, bool());
    }
    openObject();
    long version = 0;
    boolean on = true;
    List<JsonValue> variations = Flag.BOOLEAN_VARIATIONS;
    int offVariation = 0;
    Serve fallthrough = null;
    List<Target> targets = List.of();
    List<Rule> rules = List.of();
    List<Prerequisite> prerequisites = List.of();
    Optional<String> salt = Optional.empty();
    String description = "";
    String owner = "";
    List<String> tags = List.of();
    Optional<Instant> createdAt = Optional.empty();
    Optional<Instant> killDate = Optional.empty();
    long seen = 0;
    Set<String> unknown = null;
    if (!closeIf('}')) {
      do {
        String name = name();
        if (name == null) {
          unknown = unknown(unknown);
          skipValue();
        } else {
          seen = mark(seen);
          if (!skipNull()) {
            switch (name) {
              case "key" -> expectString(key);
              case "version" -> version = longValue();
              case "on" -> on = bool();
              case "variations" -> variations = jsonList();
              case "offVariation" -> offVariation = intValue();
              case "fallthrough" -> fallthrough = fallthrough();
              case "targets" -> targets = targets();
              case "rules" -> rules = rules();
              case "prerequisites" -> prerequisites = prerequisites();
              case "salt" -> salt = Optional.of(string());
              case "description" -> description = string();
              case "owner" -> owner = string();
              case "tags" -> tags = stringList();
              case "createdAt" -> createdAt = Optional.of(instant());
              case "killDate" -> killDate = Optional.of(instant());
              // Rare and small: the tree decoder reads it, with paths in its errors.
              case "guardedRollout" -> throw GIVE_UP;
              default -> skipValue();
            }
          }
        }
        skipWhitespace();
      } while (next('}'));
    }
    if (fallthrough == null) {
      if (!variations.equals(Flag.BOOLEAN_VARIATIONS)) {
        throw GIVE_UP;
      }
      fallthrough = Serve.variation(1);
    }
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
        new FlagMetadata(description, owner, tags, createdAt, killDate));
  }

  private List<Target> targets() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        push(target());
        skipWhitespace();
      } while (next(']'));
    }
    return popList(base);
  }

  private Target target() {
    openObject();
    int variation = -1;
    Set<String> keys = null;
    long seen = 0;
    Set<String> unknown = null;
    if (!closeIf('}')) {
      do {
        String name = name();
        if (name == null) {
          unknown = unknown(unknown);
          skipValue();
        } else {
          seen = mark(seen);
          switch (name) {
            case "variation" -> variation = intValue();
            case "values" -> keys = stringSet();
            default -> skipValue();
          }
        }
        skipWhitespace();
      } while (next('}'));
    }
    if (variation < 0 || keys == null) {
      throw GIVE_UP;
    }
    return new Target(variation, keys);
  }

  private List<Rule> rules() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        push(rule());
        skipWhitespace();
      } while (next(']'));
    }
    return popList(base);
  }

  private Rule rule() {
    openObject();
    String id = "";
    List<Clause> clauses = null;
    Serve serve = null;
    long seen = 0;
    Set<String> unknown = null;
    if (!closeIf('}')) {
      do {
        String name = name();
        if (name == null) {
          unknown = unknown(unknown);
          skipValue();
        } else {
          seen = mark(seen);
          switch (name) {
            case "id" -> id = skipNull() ? "" : string();
            case "clauses" -> clauses = clauses();
            case "variation", "rollout" -> serve = serveMember(name, serve);
            default -> skipValue();
          }
        }
        skipWhitespace();
      } while (next('}'));
    }
    if (clauses == null || serve == null) {
      throw GIVE_UP;
    }
    return new Rule(id, clauses, serve);
  }

  private Serve fallthrough() {
    openObject();
    Serve serve = null;
    long seen = 0;
    Set<String> unknown = null;
    if (!closeIf('}')) {
      do {
        String name = name();
        if (name == null) {
          unknown = unknown(unknown);
          skipValue();
        } else {
          seen = mark(seen);
          switch (name) {
            case "variation", "rollout" -> serve = serveMember(name, serve);
            default -> skipValue();
          }
        }
        skipWhitespace();
      } while (next('}'));
    }
    if (serve == null) {
      throw GIVE_UP;
    }
    return serve;
  }

  /** Reads {@code "variation": n} or {@code "rollout": {...}}; a second one (or null) gives up. */
  private Serve serveMember(String name, @Nullable Serve before) {
    if (before != null || skipNull()) {
      // Both given, or one null next to the other: the reference tells which is meant or wrong.
      throw GIVE_UP;
    }
    return name.equals("variation") ? Serve.variation(intValue()) : rollout();
  }

  private Rollout rollout() {
    openObject();
    List<Rollout.WeightedVariation> weights = null;
    Optional<String> bucketBy = Optional.empty();
    BucketingAlgorithm algorithm = BucketingAlgorithm.MURMUR3_V1;
    long seen = 0;
    Set<String> unknown = null;
    if (!closeIf('}')) {
      do {
        String name = name();
        if (name == null) {
          unknown = unknown(unknown);
          skipValue();
        } else {
          seen = mark(seen);
          switch (name) {
            case "weights" -> weights = weights();
            case "bucketBy" -> bucketBy = skipNull() ? Optional.empty() : Optional.of(string());
            case "algorithm" -> {
              if (!skipNull()) {
                algorithm = BucketingAlgorithm.fromWireName(string()).orElseThrow(() -> GIVE_UP);
              }
            }
            default -> skipValue();
          }
        }
        skipWhitespace();
      } while (next('}'));
    }
    if (weights == null) {
      throw GIVE_UP;
    }
    return new Rollout(weights, bucketBy, algorithm);
  }

  private List<Rollout.WeightedVariation> weights() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        openObject();
        int variation = -1;
        int weight = -1;
        boolean hasWeight = false;
        long seen = 0;
        Set<String> unknown = null;
        if (!closeIf('}')) {
          do {
            String name = name();
            if (name == null) {
              unknown = unknown(unknown);
              skipValue();
            } else {
              seen = mark(seen);
              switch (name) {
                case "variation" -> variation = intValue();
                case "weight" -> {
                  weight = intValue();
                  hasWeight = true;
                }
                default -> skipValue();
              }
            }
            skipWhitespace();
          } while (next('}'));
        }
        if (variation < 0 || !hasWeight) {
          throw GIVE_UP;
        }
        push(new Rollout.WeightedVariation(variation, weight));
        skipWhitespace();
      } while (next(']'));
    }
    return popList(base);
  }

  private List<Prerequisite> prerequisites() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        openObject();
        String key = null;
        int variation = -1;
        long seen = 0;
        Set<String> unknown = null;
        if (!closeIf('}')) {
          do {
            String name = name();
            if (name == null) {
              unknown = unknown(unknown);
              skipValue();
            } else {
              seen = mark(seen);
              switch (name) {
                case "key" -> key = string();
                case "variation" -> variation = intValue();
                default -> skipValue();
              }
            }
            skipWhitespace();
          } while (next('}'));
        }
        if (key == null || variation < 0) {
          throw GIVE_UP;
        }
        push(new Prerequisite(key, variation));
        skipWhitespace();
      } while (next(']'));
    }
    return popList(base);
  }

  private List<Clause> clauses() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        push(clause());
        skipWhitespace();
      } while (next(']'));
    }
    return popList(base);
  }

  private Clause clause() {
    openObject();
    String attribute = "";
    String op = null;
    List<JsonValue> values = null;
    boolean negate = false;
    boolean ignoreCase = false;
    long seen = 0;
    Set<String> unknown = null;
    if (!closeIf('}')) {
      do {
        String name = name();
        if (name == null) {
          unknown = unknown(unknown);
          skipValue();
        } else {
          seen = mark(seen);
          switch (name) {
            case "attribute" -> attribute = skipNull() ? "" : string();
            case "op" -> op = operator();
            case "values" -> values = jsonList();
            case "negate" -> negate = !skipNull() && bool();
            case "ignoreCase" -> ignoreCase = !skipNull() && bool();
            default -> skipValue();
          }
        }
        skipWhitespace();
      } while (next('}'));
    }
    if (op == null || values == null) {
      throw GIVE_UP;
    }
    return new Clause(attribute, op, values, negate, ignoreCase);
  }

  /** The operator's own wire-name string when it is known (its hash is cached), else a copy. */
  private String operator() {
    if (pos >= end || s.charAt(pos) != '"') {
      throw GIVE_UP;
    }
    int from = pos + 1;
    int close = s.indexOf('"', from);
    if (close > 0 && close - from <= maxStringLength) {
      int length = close - from;
      for (Operator o : OPERATORS) {
        String wire = o.wireName();
        // A wire name has no escapes, control characters or surrogates to check for.
        if (wire.length() == length && s.regionMatches(from, wire, 0, length)) {
          pos = close + 1;
          return wire;
        }
      }
    }
    return unknownOperator(string());
  }

  private String unknownOperator(String written) {
    Optional<Operator> known = Operator.fromWireName(written);
    if (known.isPresent()) {
      return known.get().wireName();
    }
    if (rejectUnknownOperators && !written.isEmpty()) {
      throw GIVE_UP;
    }
    return written;
  }

  private Segment segment(String key) {
    openObject();
    long version = 0;
    Set<String> included = Set.of();
    Set<String> excluded = Set.of();
    List<SegmentRule> rules = List.of();
    String description = "";
    long seen = 0;
    Set<String> unknown = null;
    if (!closeIf('}')) {
      do {
        String name = name();
        if (name == null) {
          unknown = unknown(unknown);
          skipValue();
        } else {
          seen = mark(seen);
          if (!skipNull()) {
            switch (name) {
              case "key" -> expectString(key);
              case "version" -> version = longValue();
              case "included" -> included = stringSet();
              case "excluded" -> excluded = stringSet();
              case "rules" -> rules = segmentRules();
              case "description" -> description = string();
              default -> skipValue();
            }
          }
        }
        skipWhitespace();
      } while (next('}'));
    }
    return new Segment(key, version, included, excluded, rules, description);
  }

  private List<SegmentRule> segmentRules() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        openObject();
        String id = "";
        List<Clause> clauses = null;
        long seen = 0;
        Set<String> unknown = null;
        if (!closeIf('}')) {
          do {
            String name = name();
            if (name == null) {
              unknown = unknown(unknown);
              skipValue();
            } else {
              seen = mark(seen);
              switch (name) {
                case "id" -> id = skipNull() ? "" : string();
                case "clauses" -> clauses = clauses();
                default -> skipValue();
              }
            }
            skipWhitespace();
          } while (next('}'));
        }
        if (clauses == null) {
          throw GIVE_UP;
        }
        push(new SegmentRule(id, clauses));
        skipWhitespace();
      } while (next(']'));
    }
    return popList(base);
  }

  // ---------------------------------------------------------------- typed values

  private String string() {
    String plain = plainString();
    return plain != null ? plain : escapedString();
  }

  /** Consumes a string equal to {@code expected}, or gives up. */
  private void expectString(String expected) {
    int open = pos;
    if (plainString() == null || pos - open - 2 != expected.length()) {
      throw GIVE_UP;
    }
    if (!s.regionMatches(open + 1, expected, 0, expected.length())) {
      throw GIVE_UP;
    }
  }

  /**
   * A string without escapes, consumed; or null, nothing consumed, when it has escapes. Gives up on
   * anything else: no string here, a control character, a surrogate, over the length limit.
   */
  private @Nullable String plainString() {
    if (pos >= end || s.charAt(pos) != '"') {
      throw GIVE_UP;
    }
    int i = pos + 1;
    while (i < end) {
      char c = s.charAt(i);
      if (c == '"') {
        if (i - pos - 1 > maxStringLength) {
          throw GIVE_UP;
        }
        String value = s.substring(pos + 1, i);
        pos = i + 1;
        return value;
      }
      if (c == '\\') {
        return null;
      }
      if (c < 0x20 || Character.isSurrogate(c)) {
        throw GIVE_UP;
      }
      i++;
    }
    throw GIVE_UP;
  }

  /** A string with escapes; surrogates, escaped or not, are left to the reference. */
  private String escapedString() {
    StringBuilder sb = new StringBuilder();
    int i = pos + 1;
    while (true) {
      if (i >= end) {
        throw GIVE_UP;
      }
      char c = s.charAt(i);
      if (c == '"') {
        break;
      }
      if (c < 0x20 || Character.isSurrogate(c)) {
        throw GIVE_UP;
      }
      if (c == '\\') {
        if (i + 1 >= end) {
          throw GIVE_UP;
        }
        char e = s.charAt(i + 1);
        i += 2;
        switch (e) {
          case '"', '\\', '/' -> c = e;
          case 'b' -> c = '\b';
          case 'f' -> c = '\f';
          case 'n' -> c = '\n';
          case 'r' -> c = '\r';
          case 't' -> c = '\t';
          case 'u' -> {
            if (i + 4 > end) {
              throw GIVE_UP;
            }
            int v = 0;
            for (int k = i; k < i + 4; k++) {
              int d = Character.digit(s.charAt(k), 16);
              // Character.digit accepts non-ASCII digits too; JSON does not.
              if (d < 0 || s.charAt(k) > 'f') {
                throw GIVE_UP;
              }
              v = (v << 4) | d;
            }
            c = (char) v;
            if (Character.isSurrogate(c)) {
              throw GIVE_UP;
            }
            i += 4;
          }
          default -> throw GIVE_UP;
        }
      } else {
        i++;
      }
      sb.append(c);
    }
    if (sb.length() > maxStringLength) {
      throw GIVE_UP;
    }
    pos = i + 1;
    return sb.toString();
  }

  private boolean bool() {
    if (literal("true")) {
      return true;
    }
    if (literal("false")) {
      return false;
    }
    throw GIVE_UP;
  }

  /** Consumes {@code null} if it is next. */
  private boolean skipNull() {
    return literal("null");
  }

  private boolean literal(String word) {
    int n = word.length();
    if (end - pos >= n && s.startsWith(word, pos)) {
      pos += n;
      return true;
    }
    return false;
  }

  /** An integer of at most 18 characters, as the reference reads it; anything else gives up. */
  private long longValue() {
    number();
    int length = pos - numberStart;
    if (!numberIntegral || length > 18) {
      throw GIVE_UP;
    }
    int i = numberStart;
    boolean negative = s.charAt(i) == '-';
    if (negative) {
      i++;
    }
    long v = 0;
    for (; i < pos; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return negative ? -v : v;
  }

  private int intValue() {
    long v = longValue();
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw GIVE_UP;
    }
    return (int) v;
  }

  /** Scans a number as strictly as the reference does. */
  private void number() {
    int i = pos;
    if (i < end && s.charAt(i) == '-') {
      i++;
    }
    if (i >= end) {
      throw GIVE_UP;
    }
    char c = s.charAt(i);
    if (c == '0') {
      i++;
      if (i < end && isDigit(s.charAt(i))) {
        throw GIVE_UP;
      }
    } else if (c >= '1' && c <= '9') {
      i++;
      while (i < end && isDigit(s.charAt(i))) {
        i++;
      }
    } else {
      throw GIVE_UP;
    }
    boolean integral = true;
    boolean exponent = false;
    if (i < end && s.charAt(i) == '.') {
      integral = false;
      i++;
      int digits = i;
      while (i < end && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == digits) {
        throw GIVE_UP;
      }
    }
    if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      integral = false;
      exponent = true;
      i++;
      if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int digits = i;
      while (i < end && s.charAt(i) == '0') {
        i++;
      }
      int significant = i;
      while (i < end && isDigit(s.charAt(i))) {
        i++;
      }
      // More than four significant digits is over the limit the reference enforces (1000).
      if (i == digits
          || i - significant > 4
          || (i > significant
              && Integer.parseInt(s, significant, i, 10) > FlagCodec.MAX_EXPONENT)) {
        throw GIVE_UP;
      }
    }
    if (i - pos > FlagCodec.MAX_NUMBER_LENGTH) {
      throw GIVE_UP;
    }
    numberStart = pos;
    numberIntegral = integral;
    numberExponent = exponent;
    pos = i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Instant instant() {
    Instant instant = FlagDecoder.instantOrNull(string());
    if (instant == null) {
      throw GIVE_UP;
    }
    return instant;
  }

  private List<String> stringList() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        push(string());
        skipWhitespace();
      } while (next(']'));
    }
    return popList(base);
  }

  /**
   * A list of strings as the set the reference makes of it ({@code Set.copyOf}), built without its
   * intermediate hash set unless the list repeats a string.
   */
  private Set<String> stringSet() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        push(string());
        skipWhitespace();
      } while (next(']'));
    }
    String[] keys = Arrays.copyOfRange(stack, base, top, String[].class);
    Arrays.fill(stack, base, top, null);
    top = base;
    try {
      return Set.of(keys);
    } catch (IllegalArgumentException duplicate) {
      return Set.copyOf(Arrays.asList(keys));
    }
  }

  private List<JsonValue> jsonList() {
    openArray();
    int base = top;
    if (!closeIf(']')) {
      do {
        push(json());
        skipWhitespace();
      } while (next(']'));
    }
    return popList(base);
  }

  JsonValue json() {
    char c = peek();
    switch (c) {
      case '{' -> {
        openObject();
        Map<String, JsonValue> members = new LinkedHashMap<>();
        if (!closeIf('}')) {
          do {
            String name = memberName();
            if (members.put(name, json()) != null) {
              throw GIVE_UP;
            }
            skipWhitespace();
          } while (next('}'));
        }
        return new JsonValue.Obj(members);
      }
      case '[' -> {
        return new JsonValue.Arr(jsonList());
      }
      case '"' -> {
        return new JsonValue.Str(string());
      }
      case 't', 'f' -> {
        return JsonValue.of(bool());
      }
      case 'n' -> {
        if (!skipNull()) {
          throw GIVE_UP;
        }
        return JsonValue.NULL;
      }
      default -> {
        number();
        int length = pos - numberStart;
        if (numberIntegral && length <= 18) {
          pos = numberStart;
          return SmallNumbers.of(longValue());
        }
        String literal = s.substring(numberStart, pos);
        if (numberExponent && SyntaxChecker.writtenFormProblem(literal) != null) {
          throw GIVE_UP; // the codec could not read back how it would write it
        }
        return new JsonValue.Num(new BigDecimal(literal));
      }
    }
  }

  private void skipValue() {
    json();
  }

  // ---------------------------------------------------------------- structure

  private char peek() {
    if (pos >= end) {
      throw GIVE_UP;
    }
    return s.charAt(pos);
  }

  private void openObject() {
    open('{');
  }

  private void openArray() {
    open('[');
  }

  private void open(char c) {
    if (peek() != c || ++depth > maxDepth) {
      throw GIVE_UP;
    }
    pos++;
    skipWhitespace();
  }

  /** Consumes {@code close} if it ends an empty container. */
  private boolean closeIf(char close) {
    if (pos < end && s.charAt(pos) == close) {
      pos++;
      depth--;
      return true;
    }
    return false;
  }

  /**
   * After a member or element: true at a comma (consumed, with the blanks after it), false at
   * {@code close}.
   */
  private boolean next(char close) {
    char c = peek();
    pos++;
    if (c == ',') {
      skipWhitespace();
      return true;
    }
    if (c == close) {
      depth--;
      return false;
    }
    throw GIVE_UP;
  }

  /**
   * Reads a member name and the colon after it, up to its value: the format's shared string for a
   * name it knows, null for another (then {@link #nameStart}/{@link #nameEnd} say where it is).
   * Names with escapes are left to the reference.
   */
  private @Nullable String name() {
    if (pos >= end || s.charAt(pos) != '"') {
      throw GIVE_UP;
    }
    int i = pos + 1;
    int h = 0;
    while (true) {
      if (i >= end) {
        throw GIVE_UP;
      }
      char c = s.charAt(i);
      if (c == '"') {
        break;
      }
      if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        throw GIVE_UP;
      }
      h = 31 * h + c;
      i++;
    }
    nameStart = pos + 1;
    nameEnd = i;
    if (nameEnd - nameStart > maxStringLength) {
      throw GIVE_UP;
    }
    pos = i + 1;
    skipWhitespace();
    if (peek() != ':') {
      throw GIVE_UP;
    }
    pos++;
    skipWhitespace();
    nameOrdinal = Names.ordinal(s, nameStart, nameEnd - nameStart, h);
    return nameOrdinal < 0 ? null : Names.known(nameOrdinal);
  }

  /** A member name as a string: a map key or a flag or segment key. */
  private String memberName() {
    String known = name();
    return known != null ? known : s.substring(nameStart, nameEnd);
  }

  /** Records the known name just read in the set {@code seen}; a second one is a duplicate. */
  private long mark(long seen) {
    long bit = 1L << nameOrdinal;
    if ((seen & bit) != 0) {
      throw GIVE_UP;
    }
    return seen | bit;
  }

  /** Records the unknown name just read; a second one is a duplicate. */
  private Set<String> unknown(@Nullable Set<String> names) {
    Set<String> out = names == null ? new HashSet<>() : names;
    if (!out.add(s.substring(nameStart, nameEnd))) {
      throw GIVE_UP;
    }
    return out;
  }

  private void skipWhitespace() {
    int i = pos;
    while (i < end) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    pos = i;
  }

  private void push(Object element) {
    if (pos > definitionLimit) {
      // A set's entry over the size limit: stop building it now, not after all of it is read.
      throw GIVE_UP;
    }
    if (top == stack.length) {
      stack = Arrays.copyOf(stack, top * 2);
    }
    stack[top++] = element;
  }

  /**
   * The elements pushed since {@code base}, as an immutable list the model keeps without copying.
   */
  @SuppressWarnings("unchecked")
  private <T> List<T> popList(int base) {
    int n = top - base;
    List<Object> list =
        switch (n) {
          case 0 -> List.of();
          case 1 -> List.of(stack[base]);
          case 2 -> List.of(stack[base], stack[base + 1]);
          default -> List.of(Arrays.copyOfRange(stack, base, top));
        };
    Arrays.fill(stack, base, top, null);
    top = base;
    return (List<T>) list;
  }
}
