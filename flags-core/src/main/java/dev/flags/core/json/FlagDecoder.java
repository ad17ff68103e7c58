package dev.flags.core.json;

import dev.flags.core.BucketingAlgorithm;
import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.FlagSet;
import dev.flags.core.FlagValidationException;
import dev.flags.core.GuardedRollout;
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
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps a well-formed document (checked by {@link SyntaxChecker}) to the model, reading it through
 * {@link Node} cursors. Every problem becomes a {@link FlagFormatException} with the full JSON path
 * and the line and column of the value at fault: type errors here, rule violations from the model's
 * constructors ({@link FlagValidationException}, whose relative path is resolved against the
 * document to find the value it names).
 *
 * <p>Unknown members are ignored everywhere; an optional member set to {@code null} counts as
 * absent. Stateless apart from its options; thread-safe.
 */
final class FlagDecoder {
  private final String text;
  private final int start;
  private final boolean rejectUnknownOperators;
  private final int maxDefinitionChars;

  FlagDecoder(String text, int start, boolean rejectUnknownOperators, int maxDefinitionChars) {
    this.text = text;
    this.start = start;
    this.rejectUnknownOperators = rejectUnknownOperators;
    this.maxDefinitionChars = maxDefinitionChars;
  }

  // ---------------------------------------------------------------- flags

  /** A flag object, or {@code true}/{@code false} for an on/off switch. */
  Flag flag(Node n, String key) {
    if (n.type == Node.TRUE || n.type == Node.FALSE) {
      try {
        return Flag.simple(key, n.type == Node.TRUE);
      } catch (FlagValidationException e) {
        throw keyProblem(n, null, e);
      }
    }
    expect(n, Node.OBJECT, "an object or true/false");
    Node keyN = null;
    Node versionN = null;
    Node onN = null;
    Node variationsN = null;
    Node offN = null;
    Node fallthroughN = null;
    Node targetsN = null;
    Node rulesN = null;
    Node prerequisitesN = null;
    Node saltN = null;
    Node descriptionN = null;
    Node ownerN = null;
    Node tagsN = null;
    Node createdAtN = null;
    Node killDateN = null;
    Node guardedN = null;
    for (Node m = n.first(); m != null; m = m.next()) {
      if (m.type == Node.NULL) {
        continue;
      }
      switch (m.name) {
        case "key" -> keyN = m;
        case "version" -> versionN = m;
        case "on" -> onN = m;
        case "variations" -> variationsN = m;
        case "offVariation" -> offN = m;
        case "fallthrough" -> fallthroughN = m;
        case "targets" -> targetsN = m;
        case "rules" -> rulesN = m;
        case "prerequisites" -> prerequisitesN = m;
        case "salt" -> saltN = m;
        case "description" -> descriptionN = m;
        case "owner" -> ownerN = m;
        case "tags" -> tagsN = m;
        case "createdAt" -> createdAtN = m;
        case "killDate" -> killDateN = m;
        case "guardedRollout" -> guardedN = m;
        default -> {
          // Unknown members are ignored: a newer writer may add fields.
        }
      }
    }
    if (keyN != null) {
      String written = string(keyN);
      if (!written.equals(key)) {
        throw error(
            keyN, "key \"" + written + "\" does not match the expected key \"" + key + "\"");
      }
    }
    long version = versionN == null ? 0 : longValue(versionN);
    boolean on = onN == null || bool(onN);
    List<JsonValue> variations =
        variationsN == null ? Flag.BOOLEAN_VARIATIONS : jsonList(variationsN);
    int offVariation = offN == null ? 0 : intValue(offN);
    Serve fallthrough;
    if (fallthroughN != null) {
      fallthrough = serve(expect(fallthroughN, Node.OBJECT, "an object"));
    } else if (variations.equals(Flag.BOOLEAN_VARIATIONS)) {
      fallthrough = Serve.variation(1);
    } else {
      throw error(
          n,
          "missing \"fallthrough\": it may only be omitted when the variations are [false, true]");
    }
    List<Target> targets = new ArrayList<>();
    if (targetsN != null) {
      expect(targetsN, Node.ARRAY, "an array");
      for (Node item = targetsN.first(); item != null; item = item.next()) {
        targets.add(target(item));
      }
    }
    List<Rule> rules = new ArrayList<>();
    if (rulesN != null) {
      expect(rulesN, Node.ARRAY, "an array");
      for (Node item = rulesN.first(); item != null; item = item.next()) {
        rules.add(rule(item));
      }
    }
    List<Prerequisite> prerequisites = new ArrayList<>();
    if (prerequisitesN != null) {
      expect(prerequisitesN, Node.ARRAY, "an array");
      for (Node item = prerequisitesN.first(); item != null; item = item.next()) {
        prerequisites.add(prerequisite(item));
      }
    }
    Optional<String> salt = saltN == null ? Optional.empty() : Optional.of(string(saltN));
    FlagMetadata metadata =
        new FlagMetadata(
            descriptionN == null ? "" : string(descriptionN),
            ownerN == null ? "" : string(ownerN),
            tagsN == null ? List.of() : stringList(tagsN),
            createdAtN == null ? Optional.empty() : Optional.of(instant(createdAtN)),
            killDateN == null ? Optional.empty() : Optional.of(instant(killDateN)));
    Optional<GuardedRollout> guarded =
        guardedN == null ? Optional.empty() : Optional.of(guardedRollout(guardedN));
    try {
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
          metadata,
          guarded);
    } catch (FlagValidationException e) {
      throw keyProblem(n, keyN, e);
    }
  }

  private GuardedRollout guardedRollout(Node n) {
    expect(n, Node.OBJECT, "an object");
    Node variationN = optional(n, "variation");
    Node baselineN = optional(n, "baseline");
    Node stepsN = optional(n, "steps");
    Node guardN = optional(n, "guard");
    Node onTripN = optional(n, "onTrip");
    List<GuardedRollout.Step> steps = GuardedRollout.DEFAULT_STEPS;
    if (stepsN != null) {
      expect(stepsN, Node.ARRAY, "an array");
      steps = new ArrayList<>();
      for (Node item = stepsN.first(); item != null; item = item.next()) {
        if (steps.size() == GuardedRollout.MAX_STEPS) {
          throw error(stepsN, "at most " + GuardedRollout.MAX_STEPS + " steps");
        }
        expect(item, Node.OBJECT, "an object");
        int percent = intValue(required(item, "percent"));
        Node holdN = optional(item, "holdSeconds");
        long hold = holdN == null ? GuardedRollout.DEFAULT_HOLD.toSeconds() : longValue(holdN);
        Node minN = optional(item, "minRequests");
        long min = minN == null ? GuardedRollout.DEFAULT_MIN_REQUESTS : longValue(minN);
        try {
          steps.add(
              new GuardedRollout.Step(
                  percent, java.time.Duration.ofSeconds(Math.max(0, hold)), min));
        } catch (FlagValidationException e) {
          throw invalid(item, e);
        }
      }
    }
    GuardedRollout.Guard guard = GuardedRollout.Guard.DEFAULT;
    if (guardN != null) {
      expect(guardN, Node.OBJECT, "an object");
      Node alphaN = optional(guardN, "alpha");
      Node toleranceN = optional(guardN, "tolerance");
      Node minSamplesN = optional(guardN, "minSamples");
      Node latencyN = optional(guardN, "latency");
      Optional<Double> percentile = Optional.empty();
      Optional<Double> ratio = Optional.empty();
      if (latencyN != null) {
        expect(latencyN, Node.OBJECT, "an object");
        percentile = Optional.of(decimal(required(latencyN, "percentile")).doubleValue());
        ratio = Optional.of(decimal(required(latencyN, "maxRatio")).doubleValue());
      }
      try {
        guard =
            new GuardedRollout.Guard(
                alphaN == null ? GuardedRollout.Guard.DEFAULT_ALPHA : decimal(alphaN).doubleValue(),
                toleranceN == null ? 0 : decimal(toleranceN).doubleValue(),
                minSamplesN == null
                    ? GuardedRollout.Guard.DEFAULT_MIN_SAMPLES
                    : longValue(minSamplesN),
                percentile,
                ratio);
      } catch (FlagValidationException e) {
        throw invalid(guardN, e);
      }
    }
    GuardedRollout.OnTrip onTrip = GuardedRollout.OnTrip.ROLLBACK;
    if (onTripN != null) {
      String name = string(onTripN);
      onTrip =
          GuardedRollout.OnTrip.fromWireName(name)
              .orElseThrow(
                  () -> error(onTripN, "unknown onTrip \"" + name + "\"; known: rollback, off"));
    }
    try {
      return new GuardedRollout(
          variationN == null ? 1 : intValue(variationN),
          baselineN == null ? 0 : intValue(baselineN),
          steps,
          guard,
          onTrip);
    } catch (FlagValidationException e) {
      throw invalid(n, e);
    }
  }

  private Target target(Node n) {
    expect(n, Node.OBJECT, "an object");
    Node variation = required(n, "variation");
    Node values = required(n, "values");
    int index = intValue(variation);
    List<String> keys = stringList(values);
    try {
      return new Target(index, Set.copyOf(keys));
    } catch (FlagValidationException e) {
      throw invalid(n, e);
    }
  }

  private Rule rule(Node n) {
    expect(n, Node.OBJECT, "an object");
    Node idN = optional(n, "id");
    String id = idN == null ? "" : string(idN);
    List<Clause> clauses = clauses(required(n, "clauses"));
    Serve serve = serve(n);
    try {
      return new Rule(id, clauses, serve);
    } catch (FlagValidationException e) {
      throw invalid(n, e);
    }
  }

  /** Reads {@code "variation": n} or {@code "rollout": {...}} from a rule or the fallthrough. */
  private Serve serve(Node n) {
    Node variation = optional(n, "variation");
    Node rollout = optional(n, "rollout");
    if (variation != null && rollout != null) {
      throw error(rollout, "has both \"variation\" and \"rollout\"; give one of them");
    }
    if (variation != null) {
      int index = intValue(variation);
      try {
        return Serve.variation(index);
      } catch (FlagValidationException e) {
        throw invalid(n, e);
      }
    }
    if (rollout != null) {
      return rollout(rollout);
    }
    throw error(n, "missing \"variation\" or \"rollout\"");
  }

  private Rollout rollout(Node n) {
    expect(n, Node.OBJECT, "an object");
    Node weightsN = expect(required(n, "weights"), Node.ARRAY, "an array");
    List<Rollout.WeightedVariation> weights = new ArrayList<>();
    for (Node item = weightsN.first(); item != null; item = item.next()) {
      Node w = expect(item, Node.OBJECT, "an object");
      int variation = intValue(required(w, "variation"));
      int weight = intValue(required(w, "weight"));
      try {
        weights.add(new Rollout.WeightedVariation(variation, weight));
      } catch (FlagValidationException e) {
        throw invalid(w, e);
      }
    }
    Node bucketByN = optional(n, "bucketBy");
    Optional<String> bucketBy =
        bucketByN == null ? Optional.empty() : Optional.of(string(bucketByN));
    Node algorithmN = optional(n, "algorithm");
    BucketingAlgorithm algorithm = BucketingAlgorithm.MURMUR3_V1;
    if (algorithmN != null) {
      String name = string(algorithmN);
      Optional<BucketingAlgorithm> known = BucketingAlgorithm.fromWireName(name);
      if (known.isEmpty()) {
        throw error(
            algorithmN, "unknown bucketing algorithm \"" + name + "\"; known: " + algorithms());
      }
      algorithm = known.get();
    }
    try {
      return new Rollout(weights, bucketBy, algorithm);
    } catch (FlagValidationException e) {
      throw invalid(n, e);
    }
  }

  private static String algorithms() {
    StringBuilder sb = new StringBuilder();
    for (BucketingAlgorithm a : BucketingAlgorithm.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(a.wireName());
    }
    return sb.toString();
  }

  private Prerequisite prerequisite(Node n) {
    expect(n, Node.OBJECT, "an object");
    String key = string(required(n, "key"));
    int variation = intValue(required(n, "variation"));
    try {
      return new Prerequisite(key, variation);
    } catch (FlagValidationException e) {
      // The model calls the key flagKey; the format calls it key.
      String path = e.path().equals("flagKey") ? "key" : e.path();
      throw invalid(n, new FlagValidationException(path, e.problem()));
    }
  }

  private List<Clause> clauses(Node n) {
    expect(n, Node.ARRAY, "an array");
    List<Clause> clauses = new ArrayList<>();
    for (Node item = n.first(); item != null; item = item.next()) {
      clauses.add(clause(item));
    }
    return clauses;
  }

  private Clause clause(Node n) {
    expect(n, Node.OBJECT, "an object");
    Node attributeN = null;
    Node opN = null;
    Node valuesN = null;
    Node negateN = null;
    Node ignoreCaseN = null;
    for (Node m = n.first(); m != null; m = m.next()) {
      switch (m.name) {
        case "attribute" -> attributeN = m;
        case "op" -> opN = m;
        case "values" -> valuesN = m;
        case "negate" -> negateN = m;
        case "ignoreCase" -> ignoreCaseN = m;
        default -> {
          // ignored, see the class comment
        }
      }
    }
    if (opN == null) {
      throw error(n, "missing \"op\"");
    }
    if (valuesN == null) {
      throw error(n, "missing \"values\"");
    }
    String written = string(opN);
    Optional<Operator> known = Operator.fromWireName(written);
    if (rejectUnknownOperators && !written.isEmpty() && known.isEmpty()) {
      throw error(opN, "unknown operator \"" + written + "\"");
    }
    // The enum's own string: its hash is cached, which every later lookup of the operator reuses.
    String op = known.isPresent() ? known.get().wireName() : written;
    String attribute = attributeN == null || attributeN.type == Node.NULL ? "" : string(attributeN);
    List<JsonValue> values = jsonList(valuesN);
    boolean negate = negateN != null && negateN.type != Node.NULL && bool(negateN);
    boolean ignoreCase = ignoreCaseN != null && ignoreCaseN.type != Node.NULL && bool(ignoreCaseN);
    try {
      return new Clause(attribute, op, values, negate, ignoreCase);
    } catch (FlagValidationException e) {
      throw invalid(n, e);
    } catch (RuntimeException e) {
      // Compiling a regular expression runs the JDK's regex parser on input we do not control;
      // whatever it throws besides a syntax error must still be the documented exception.
      throw error(n, "invalid clause: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- segments

  Segment segment(Node n, String key) {
    expect(n, Node.OBJECT, "an object");
    Node keyN = optional(n, "key");
    if (keyN != null) {
      String written = string(keyN);
      if (!written.equals(key)) {
        throw error(
            keyN, "key \"" + written + "\" does not match the expected key \"" + key + "\"");
      }
    }
    Node versionN = optional(n, "version");
    Node includedN = optional(n, "included");
    Node excludedN = optional(n, "excluded");
    Node rulesN = optional(n, "rules");
    Node descriptionN = optional(n, "description");
    long version = versionN == null ? 0 : longValue(versionN);
    Set<String> included = includedN == null ? Set.of() : Set.copyOf(stringList(includedN));
    Set<String> excluded = excludedN == null ? Set.of() : Set.copyOf(stringList(excludedN));
    List<SegmentRule> rules = new ArrayList<>();
    if (rulesN != null) {
      expect(rulesN, Node.ARRAY, "an array");
      for (Node item = rulesN.first(); item != null; item = item.next()) {
        Node r = expect(item, Node.OBJECT, "an object");
        Node idN = optional(r, "id");
        String id = idN == null ? "" : string(idN);
        List<Clause> clauses = clauses(required(r, "clauses"));
        try {
          rules.add(new SegmentRule(id, clauses));
        } catch (FlagValidationException e) {
          throw invalid(r, e);
        }
      }
    }
    String description = descriptionN == null ? "" : string(descriptionN);
    try {
      return new Segment(key, version, included, excluded, rules, description);
    } catch (FlagValidationException e) {
      throw keyProblem(n, keyN, e);
    }
  }

  // ---------------------------------------------------------------- sets

  FlagSet flagSet(Node root) {
    expect(root, Node.OBJECT, "an object with \"flags\" and \"segments\"");
    Node flagsN = optional(root, "flags");
    Node segmentsN = optional(root, "segments");
    if (flagsN == null && segmentsN == null) {
      throw error(
          root,
          "a flag set needs \"flags\" or \"segments\" (write {\"flags\": {}} for an empty set)");
    }
    Map<String, Flag> flags = new LinkedHashMap<>();
    if (flagsN != null) {
      expect(flagsN, Node.OBJECT, "an object");
      for (Node entry = flagsN.first(); entry != null; entry = entry.next()) {
        checkDefinitionSize(entry, "flag");
        flags.put(entry.name, flag(entry, entry.name));
      }
    }
    Map<String, Segment> segments = new LinkedHashMap<>();
    if (segmentsN != null) {
      expect(segmentsN, Node.OBJECT, "an object");
      for (Node entry = segmentsN.first(); entry != null; entry = entry.next()) {
        checkDefinitionSize(entry, "segment");
        segments.put(entry.name, segment(entry, entry.name));
      }
    }
    try {
      return new FlagSet(flags, segments);
    } catch (FlagValidationException e) {
      throw invalid(root, e);
    }
  }

  /** A definition in a set over the size limit is refused before it is read. */
  private void checkDefinitionSize(Node entry, String what) {
    int size = entry.end() - entry.pos;
    if (size > maxDefinitionChars) {
      throw error(
          entry, FlagCodec.definitionTooLarge(what, size, "characters", maxDefinitionChars));
    }
  }

  // ---------------------------------------------------------------- values

  /** Any JSON value, read straight from the text: it is well formed, so nothing can fail here. */
  JsonValue json(Node n) {
    return new Values(text).read(n.pos);
  }

  /** Reads JSON values from well-formed text, recursively (nesting is bounded by the checker). */
  private static final class Values {
    private final String s;
    private int pos;

    Values(String s) {
      this.s = s;
    }

    JsonValue read(int at) {
      pos = at;
      return value();
    }

    private JsonValue value() {
      char c = s.charAt(pos);
      switch (c) {
        case '{' -> {
          Map<String, JsonValue> members = new LinkedHashMap<>();
          pos = Node.skipWhitespace(s, pos + 1);
          if (s.charAt(pos) == '}') {
            pos++;
            return new JsonValue.Obj(members);
          }
          while (true) {
            String name = Node.decodeString(s, pos);
            pos = Node.skipWhitespace(s, Node.skipString(s, pos));
            pos = Node.skipWhitespace(s, pos + 1); // the colon
            members.put(name, value());
            pos = Node.skipWhitespace(s, pos);
            if (s.charAt(pos++) == '}') {
              return new JsonValue.Obj(members);
            }
            pos = Node.skipWhitespace(s, pos);
          }
        }
        case '[' -> {
          return new JsonValue.Arr(list());
        }
        case '"' -> {
          String value = Node.decodeString(s, pos);
          pos = Node.skipString(s, pos);
          return new JsonValue.Str(value);
        }
        case 't' -> {
          pos += 4;
          return JsonValue.TRUE;
        }
        case 'f' -> {
          pos += 5;
          return JsonValue.FALSE;
        }
        case 'n' -> {
          pos += 4;
          return JsonValue.NULL;
        }
        default -> {
          int from = pos;
          pos = Node.skipValue(s, pos);
          boolean integral = true;
          for (int i = from; i < pos; i++) {
            char d = s.charAt(i);
            if (d == '.' || d == 'e' || d == 'E') {
              integral = false;
              break;
            }
          }
          if (integral && pos - from <= 18) {
            return SmallNumbers.of(Long.parseLong(s, from, pos, 10));
          }
          return new JsonValue.Num(new BigDecimal(s.substring(from, pos)));
        }
      }
    }

    /**
     * The elements of the array at {@code pos}, as an immutable list. Counted first (a scan), so
     * the elements go into one array of the right size instead of a growing list and its copy.
     */
    List<JsonValue> list() {
      int count = 0;
      int p = Node.skipWhitespace(s, pos + 1);
      if (s.charAt(p) != ']') {
        while (true) {
          count++;
          p = Node.skipWhitespace(s, Node.skipValue(s, p));
          if (s.charAt(p++) == ']') {
            break;
          }
          p = Node.skipWhitespace(s, p);
        }
      }
      JsonValue[] out = new JsonValue[count];
      pos = Node.skipWhitespace(s, pos + 1);
      for (int i = 0; i < count; i++) {
        out[i] = value();
        pos = Node.skipWhitespace(s, Node.skipWhitespace(s, pos) + 1); // past the ',' or ']'
      }
      if (count == 0) {
        pos++; // the ']'
      }
      return List.of(out);
    }
  }

  private List<JsonValue> jsonList(Node n) {
    expect(n, Node.ARRAY, "an array");
    Values values = new Values(text);
    values.pos = n.pos;
    return values.list();
  }

  private List<String> stringList(Node n) {
    expect(n, Node.ARRAY, "an array");
    List<String> out = new ArrayList<>();
    for (Node item = n.first(); item != null; item = item.next()) {
      out.add(string(item));
    }
    return List.copyOf(out);
  }

  private BigDecimal decimal(Node n) {
    try {
      return new BigDecimal(n.numberText());
    } catch (NumberFormatException | ArithmeticException e) {
      // The checker only lets valid, bounded literals through; this is a safety net.
      throw error(n, "number out of range: " + n.numberText());
    }
  }

  private String string(Node n) {
    if (n.type != Node.STRING) {
      throw wrongType(n, "a string");
    }
    return n.string();
  }

  private boolean bool(Node n) {
    if (n.type == Node.TRUE) {
      return true;
    }
    if (n.type == Node.FALSE) {
      return false;
    }
    throw wrongType(n, "a boolean");
  }

  private long longValue(Node n) {
    if (n.type != Node.NUMBER) {
      throw wrongType(n, "an integer");
    }
    String t = n.numberText();
    if (n.integral() && t.length() <= 18) {
      return Long.parseLong(t);
    }
    BigDecimal d = decimal(n);
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      boolean whole = d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
      throw error(
          n,
          whole
              ? "number out of range: " + t + " does not fit a 64-bit integer"
              : "expected an integer, got " + t);
    }
  }

  private int intValue(Node n) {
    long v = longValue(n);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(n, "number out of range: " + n.numberText() + " does not fit a 32-bit integer");
    }
    return (int) v;
  }

  private Instant instant(Node n) {
    String s = string(n);
    Instant instant = instantOrNull(s);
    if (instant == null) {
      throw error(
          n, "expected an ISO-8601 instant such as \"2026-06-30T00:00:00Z\", got \"" + s + "\"");
    }
    return instant;
  }

  /** The instant {@code s} writes, or null if it is not an ISO-8601 instant. */
  static @Nullable Instant instantOrNull(String s) {
    Instant fast = utcSeconds(s);
    if (fast != null) {
      return fast;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeException e) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeException e2) {
        return null;
      }
    }
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ssZ}, the form the writer produces for whole seconds, read without
   * java.time's general parser (which costs more than the rest of a flag). Anything else, or an
   * impossible date, returns null and goes the general way.
   */
  private static @Nullable Instant utcSeconds(String s) {
    if (s.length() != 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > daysIn(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second);
  }

  private static int daysIn(int year, int month) {
    return switch (month) {
      case 2 -> java.time.Year.isLeap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  // ---------------------------------------------------------------- helpers

  private static @Nullable Node optional(Node obj, String name) {
    Node m = obj.get(name);
    return m == null || m.type == Node.NULL ? null : m;
  }

  private Node required(Node obj, String name) {
    Node m = obj.get(name);
    if (m == null) {
      throw error(obj, "missing \"" + name + "\"");
    }
    return m;
  }

  private Node expect(Node n, byte type, String what) {
    if (n.type != type) {
      throw wrongType(n, what);
    }
    return n;
  }

  private FlagFormatException wrongType(Node n, String expected) {
    return error(n, "expected " + expected + ", got " + n.typeName());
  }

  FlagFormatException error(Node n, String problem) {
    return Locations.error(text, start, n.pos, n.path(), problem);
  }

  /**
   * A bad key of a set's entry is the entry's name, not a member: report it at the entry ({@code
   * flags.some key}) rather than at a {@code key} member that is not there.
   */
  private FlagFormatException keyProblem(Node n, @Nullable Node keyN, FlagValidationException e) {
    if (keyN == null && n.parent != null && e.path().equals("key")) {
      return error(n, e.problem());
    }
    return invalid(n, e);
  }

  /**
   * A model rule broken by the object at {@code n}: located at the deepest value its path names.
   */
  private FlagFormatException invalid(Node n, FlagValidationException e) {
    Node at = n.resolve(e.path());
    return Locations.error(text, start, at.pos, Node.join(n.path(), e.path()), e.problem());
  }
}
