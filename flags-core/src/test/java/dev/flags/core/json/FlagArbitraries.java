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
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of valid model values covering every part of the format: any JSON variation, every
 * operator (and unknown ones), rollouts of every algorithm, targets, prerequisites, metadata,
 * segments and consistent sets (references resolve, no prerequisite cycles).
 */
final class FlagArbitraries {
  private FlagArbitraries() {}

  static Arbitrary<String> keys() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('A', 'Z')
        .withCharRange('0', '9')
        .withChars('_', '-', '.')
        .ofMinLength(1)
        .ofMaxLength(12);
  }

  /** Any Unicode text, supplementary characters and escapes-needing characters included. */
  static Arbitrary<String> text() {
    Arbitrary<Integer> codePoint =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0x1f)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.of((int) '"', (int) '\\', (int) '/', 0x7f, 0x2028)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0xa0, 0xd7ff)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xe000, 0xfffd)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)));
    return codePoint
        .list()
        .ofMaxSize(12)
        .map(
            cps -> {
              StringBuilder sb = new StringBuilder();
              cps.forEach(sb::appendCodePoint);
              return sb.toString();
            });
  }

  static Arbitrary<BigDecimal> numbers() {
    Arbitrary<BigDecimal> scaled =
        Combinators.combine(
                Arbitraries.bigIntegers()
                    .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)),
                Arbitraries.integers().between(-40, 40))
            .as(BigDecimal::new);
    return Arbitraries.oneOf(
        Arbitraries.longs().map(BigDecimal::valueOf),
        Arbitraries.doubles().map(BigDecimal::valueOf),
        scaled);
  }

  static Arbitrary<JsonValue> json() {
    return json(3);
  }

  private static Arbitrary<JsonValue> json(int depth) {
    Arbitrary<JsonValue> leaf =
        Arbitraries.oneOf(
            Arbitraries.just(JsonValue.NULL),
            Arbitraries.of(JsonValue.TRUE, JsonValue.FALSE),
            numbers().map(JsonValue.Num::new),
            text().map(JsonValue::of));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonValue> array =
        Arbitraries.lazy(() -> json(depth - 1)).list().ofMaxSize(3).map(JsonValue.Arr::new);
    Arbitrary<JsonValue> object =
        Arbitraries.maps(text(), Arbitraries.lazy(() -> json(depth - 1)))
            .ofMaxSize(3)
            .map(m -> new JsonValue.Obj(new LinkedHashMap<>(m)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, leaf),
        net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(1, object));
  }

  private static final List<String> REGEXES =
      List.of("^a.*z$", "[0-9]+", "(?i)beta", "a|b|c", "\\d{3}-\\w+");
  private static final List<String> CIDRS =
      List.of("10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1/128");

  /**
   * A clause; segment clauses name keys from {@code segmentKeys}: any key when null, none when
   * empty.
   */
  static Arbitrary<Clause> clauses(List<String> segmentKeys) {
    Arbitrary<String> attribute = Arbitraries.oneOf(keys(), text().filter(s -> !s.isEmpty()));
    Arbitrary<Operator> op =
        segmentKeys != null && segmentKeys.isEmpty()
            ? Arbitraries.of(Operator.class).filter(o -> o != Operator.SEGMENT_MATCH)
            : Arbitraries.of(Operator.class);
    Arbitrary<Clause> known =
        Combinators.combine(
                attribute,
                op,
                Arbitraries.of(true, false),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 3))
            .flatAs(
                (attr, operator, negate, ignoreCase, n) -> {
                  Arbitrary<JsonValue> value =
                      switch (operator) {
                        case MATCHES -> Arbitraries.of(REGEXES).map(JsonValue::of);
                        case IP_IN_RANGE -> Arbitraries.of(CIDRS).map(JsonValue::of);
                        case SEGMENT_MATCH ->
                            (segmentKeys == null ? keys() : Arbitraries.of(segmentKeys))
                                .map(JsonValue::of);
                        default -> json(1);
                      };
                  String a = operator == Operator.SEGMENT_MATCH ? "" : attr;
                  return value
                      .list()
                      .ofSize(n)
                      .map(vs -> new Clause(a, operator.wireName(), vs, negate, ignoreCase));
                });
    Arbitrary<Clause> unknown =
        Combinators.combine(
                attribute,
                Arbitraries.of("equal", "inRange", "x-future"),
                json(1).list().ofMinSize(1).ofMaxSize(2))
            .as((attr, name, values) -> new Clause(attr, name, values, false, false));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, known), net.jqwik.api.Tuple.of(1, unknown));
  }

  static Arbitrary<Rollout> rollouts(int variations) {
    Arbitrary<List<Integer>> cuts =
        Arbitraries.integers().between(0, Rollout.TOTAL_WEIGHT).list().ofMinSize(0).ofMaxSize(3);
    return Combinators.combine(
            cuts,
            Arbitraries.integers().between(0, variations - 1).list().ofSize(4),
            Arbitraries.oneOf(Arbitraries.just(Optional.<String>empty()), keys().map(Optional::of)),
            Arbitraries.of(BucketingAlgorithm.class))
        .as(
            (cutList, indexes, bucketBy, algorithm) -> {
              List<Integer> points = new ArrayList<>(cutList);
              points.sort(null);
              List<Rollout.WeightedVariation> weights = new ArrayList<>();
              int previous = 0;
              for (int i = 0; i <= points.size(); i++) {
                int next = i < points.size() ? points.get(i) : Rollout.TOTAL_WEIGHT;
                weights.add(new Rollout.WeightedVariation(indexes.get(i), next - previous));
                previous = next;
              }
              return new Rollout(weights, bucketBy, algorithm);
            });
  }

  static Arbitrary<Serve> serves(int variations) {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, variations - 1).map(Serve::variation),
        rollouts(variations).map(r -> (Serve) r));
  }

  static Arbitrary<Instant> instants() {
    return Combinators.combine(
            Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L),
            Arbitraries.integers().between(0, 999_999_999))
        .as(Instant::ofEpochSecond);
  }

  static Arbitrary<FlagMetadata> metadata() {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.just(""), text()),
            Arbitraries.oneOf(Arbitraries.just(""), text()),
            text().list().ofMaxSize(3),
            instants().optional(),
            instants().optional())
        .as(FlagMetadata::new);
  }

  /** A flag on its own: segment and prerequisite references need not resolve. */
  static Arbitrary<Flag> flags() {
    return keys().flatMap(key -> flags(key, null, null));
  }

  /**
   * A flag called {@code key}; segment clauses name {@code segmentKeys} (see {@link #clauses}),
   * prerequisites name flags of {@code earlier} (so a set built in order has no cycle), or any key
   * when {@code earlier} is null.
   */
  static Arbitrary<Flag> flags(String key, List<String> segmentKeys, List<Flag> earlier) {
    Arbitrary<List<JsonValue>> variations =
        Arbitraries.oneOf(
            Arbitraries.just(Flag.BOOLEAN_VARIATIONS), json(2).list().ofMinSize(1).ofMaxSize(4));
    return variations.flatMap(
        vs -> {
          int n = vs.size();
          Arbitrary<List<Target>> targets =
              keys()
                  .set()
                  .ofMaxSize(6)
                  .flatMap(
                      targetKeys -> {
                        List<String> all = new ArrayList<>(targetKeys);
                        return Arbitraries.integers()
                            .between(0, n - 1)
                            .list()
                            .ofSize(all.size())
                            .map(
                                indexes -> {
                                  Map<Integer, Set<String>> byVariation = new LinkedHashMap<>();
                                  for (int i = 0; i < all.size(); i++) {
                                    byVariation
                                        .computeIfAbsent(indexes.get(i), k -> new HashSet<>())
                                        .add(all.get(i));
                                  }
                                  List<Target> out = new ArrayList<>();
                                  byVariation.forEach((v, ks) -> out.add(new Target(v, ks)));
                                  return out;
                                });
                      });
          Arbitrary<Rule> rule =
              Combinators.combine(
                      Arbitraries.oneOf(Arbitraries.just(""), keys()),
                      clauses(segmentKeys).list().ofMaxSize(3),
                      serves(n))
                  .as(Rule::new);
          Arbitrary<List<Rule>> rules =
              rule.list().ofMaxSize(4).map(FlagArbitraries::uniqueRuleIds);
          Arbitrary<List<Prerequisite>> prerequisites;
          if (earlier == null) {
            prerequisites =
                Combinators.combine(
                        keys().filter(k -> !k.equals(key)), Arbitraries.integers().between(0, 3))
                    .as(Prerequisite::new)
                    .list()
                    .ofMaxSize(2);
          } else if (earlier.isEmpty()) {
            prerequisites = Arbitraries.just(List.of());
          } else {
            prerequisites =
                Arbitraries.of(earlier)
                    .flatMap(
                        f ->
                            Arbitraries.integers()
                                .between(0, f.variations().size() - 1)
                                .map(v -> new Prerequisite(f.key(), v)))
                    .list()
                    .ofMaxSize(2);
          }
          return Combinators.combine(
                  Arbitraries.longs().between(0, Long.MAX_VALUE),
                  Arbitraries.of(true, false),
                  Arbitraries.integers().between(0, n - 1),
                  serves(n),
                  targets,
                  rules,
                  prerequisites,
                  Arbitraries.oneOf(
                      Arbitraries.just(Optional.<String>empty()),
                      text().filter(s -> !s.isEmpty()).map(Optional::of)))
              .flatAs(
                  (version, on, off, fallthrough, ts, rs, ps, salt) ->
                      metadata()
                          .map(
                              m ->
                                  new Flag(
                                      key,
                                      version,
                                      on,
                                      vs,
                                      off,
                                      fallthrough,
                                      ts,
                                      rs,
                                      ps,
                                      salt,
                                      m)));
        });
  }

  private static List<Rule> uniqueRuleIds(List<Rule> rules) {
    Set<String> seen = new HashSet<>();
    List<Rule> out = new ArrayList<>();
    for (Rule r : rules) {
      out.add(r.id().isEmpty() || seen.add(r.id()) ? r : r.withId(""));
    }
    return out;
  }

  static Arbitrary<Segment> segments() {
    return keys().flatMap(FlagArbitraries::segments);
  }

  static Arbitrary<Segment> segments(String key) {
    Arbitrary<SegmentRule> rule =
        Combinators.combine(
                Arbitraries.oneOf(Arbitraries.just(""), keys()),
                clauses(List.of()).list().ofMaxSize(3))
            .as(SegmentRule::new);
    return Combinators.combine(
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            keys().set().ofMaxSize(5),
            keys().set().ofMaxSize(5),
            rule.list().ofMaxSize(3),
            Arbitraries.oneOf(Arbitraries.just(""), text()))
        .as(
            (version, included, excluded, rules, description) ->
                new Segment(key, version, included, excluded, rules, description));
  }

  /** A consistent set: segments referenced exist, prerequisites point to earlier flags. */
  static Arbitrary<FlagSet> flagSets() {
    return Combinators.combine(keys().set().ofMaxSize(4), keys().set().ofMaxSize(5))
        .flatAs(
            (segmentKeys, flagKeys) -> {
              List<String> sk = new ArrayList<>(segmentKeys);
              Arbitrary<List<Segment>> segments =
                  sk.isEmpty()
                      ? Arbitraries.just(List.of())
                      : Combinators.combine(sk.stream().map(FlagArbitraries::segments).toList())
                          .as(list -> list);
              Arbitrary<List<Flag>> flags = Arbitraries.just(List.<Flag>of());
              for (String key : flagKeys) {
                flags =
                    flags.flatMap(
                        done ->
                            Arbitraries.oneOf(
                                    flags(key, sk, done),
                                    Arbitraries.of(true, false).map(on -> Flag.simple(key, on)))
                                .map(
                                    f -> {
                                      List<Flag> next = new ArrayList<>(done);
                                      next.add(f);
                                      return next;
                                    }));
              }
              return Combinators.combine(flags, segments).as((fs, ss) -> FlagSet.of(fs, ss));
            });
  }
}
