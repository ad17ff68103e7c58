package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemanticVersionTest {

  /** The regular expression semver.org publishes for SemVer 2.0.0 (its FAQ), used as an oracle. */
  private static final Pattern OFFICIAL =
      Pattern.compile(
          "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
              + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

  private static SemanticVersion v(String s) {
    SemanticVersion parsed = SemanticVersion.parse(s);
    assertThat(parsed).as(s).isNotNull();
    return parsed;
  }

  @Test
  void ordersTheSpecsPreReleaseExample() {
    // SemVer 2.0.0 §11.4, in order.
    List<String> ordered =
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0");
    assertStrictlyIncreasing(ordered);
  }

  @Test
  void ordersTheSpecsReleaseExample() {
    // SemVer 2.0.0 §11.2 and §11.3.
    assertStrictlyIncreasing(List.of("1.0.0", "2.0.0", "2.1.0", "2.1.1"));
    assertStrictlyIncreasing(List.of("1.0.0-alpha", "1.0.0"));
  }

  @Test
  void comparesNumbersNumericallyNotAsText() {
    assertStrictlyIncreasing(List.of("1.9.0", "1.10.0", "1.11.0", "9.0.0", "10.0.0"));
    assertStrictlyIncreasing(List.of("1.0.0-2", "1.0.0-10", "1.0.0-99999999999999999999999"));
  }

  @Test
  void numericIdentifiersRankBelowAlphanumericOnes() {
    assertStrictlyIncreasing(List.of("1.0.0-999", "1.0.0-0a", "1.0.0-a"));
    assertStrictlyIncreasing(List.of("1.0.0-rc.99", "1.0.0-rc.a"));
  }

  @Test
  void alphanumericIdentifiersCompareInAsciiOrder() {
    // Upper case sorts before lower case, and '-' before digits and letters.
    assertStrictlyIncreasing(
        List.of("1.0.0--", "1.0.0-0-", "1.0.0-Alpha", "1.0.0-BETA", "1.0.0-alpha"));
  }

  @Test
  void ignoresBuildMetadata() {
    assertThat(v("1.0.0+build.1")).isEqualByComparingTo(v("1.0.0+build.2"));
    assertThat(v("1.0.0+build.1")).isEqualTo(v("1.0.0"));
    assertThat(v("1.0.0-rc.1+001"))
        .isEqualTo(v("1.0.0-rc.1"))
        .hasSameHashCodeAs(v("1.0.0-rc.1+exp.sha.5114f85"));
    assertThat(v("1.0.0+20130313144700").toString()).isEqualTo("1.0.0+20130313144700");
  }

  @Test
  void largeNumbersWithinLongAreAccepted() {
    assertThat(v("9223372036854775807.0.0")).isGreaterThan(v("9223372036854775806.99.99"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0",
        "1.2.3",
        "10.20.30",
        "1.1.2-prerelease+meta",
        "1.1.2+meta",
        "1.1.2+meta-valid",
        "1.0.0-alpha",
        "1.0.0-beta",
        "1.0.0-alpha.beta",
        "1.0.0-alpha.beta.1",
        "1.0.0-alpha.1",
        "1.0.0-alpha0.valid",
        "1.0.0-alpha.0valid",
        "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
        "1.0.0-rc.1+build.1",
        "2.0.0-rc.1+build.123",
        "1.2.3-beta",
        "10.2.3-DEV-SNAPSHOT",
        "1.2.3-SNAPSHOT-123",
        "2.0.0+build.1848",
        "2.0.1-alpha.1227",
        "1.0.0-alpha+beta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
        "1.2.3----R-S.12.9.1--.12+meta",
        "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
        "1.0.0-0A.is.legal",
        "1.0.0+001",
        "1.0.0-0"
      })
  void acceptsValidVersions(String text) {
    assertThat(SemanticVersion.parse(text)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1",
        "1.2",
        "1.2.3.4",
        "v1.2.3",
        "V1.2.3",
        "=1.2.3",
        " 1.2.3",
        "1.2.3 ",
        "1.2.3\n",
        "01.1.1",
        "1.01.1",
        "1.1.01",
        "1.2.3-0123",
        "1.2.3-0123.0123",
        "1.0.0-alpha.01",
        "1.2.3-",
        "1.2.3+",
        "1.2.3-+",
        "1.2.3-a..b",
        "1.2.3-a.",
        "1.2.3+a..b",
        "1.2.3+.a",
        "+invalid",
        "-invalid",
        "-invalid+invalid",
        "-invalid.01",
        "alpha",
        "alpha.beta",
        "alpha.1",
        "1.0.0-alpha_beta",
        "-alpha.",
        "1.2.3.DEV",
        "1.2-SNAPSHOT",
        "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
        "1.2-RC-SNAPSHOT",
        "-1.0.3-gamma+b7718",
        "+justmeta",
        "9.8.7+meta+meta",
        "9.8.7-whatever+meta+meta",
        "99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1--------------------------------..12",
        "1.0.0-αλφα",
        "1.0.0-ß",
        "١.٢.٣",
        "１.2.3",
        "1..3",
        "1.2.3-a b",
        "9223372036854775808.0.0",
        "1.2.-3"
      })
  void rejectsInvalidVersions(String text) {
    assertThat(SemanticVersion.parse(text)).isNull();
  }

  @Property(tries = 3_000)
  void acceptsExactlyWhatTheOfficialGrammarAccepts(@ForAll("versionLike") String text) {
    boolean official = OFFICIAL.matcher(text).matches() && coreFitsInLong(text);
    assertThat(SemanticVersion.parse(text) != null).as(text).isEqualTo(official);
  }

  @Property(tries = 1_000)
  void comparisonIsAConsistentTotalOrder(
      @ForAll("versions") String a, @ForAll("versions") String b, @ForAll("versions") String c) {
    SemanticVersion x = v(a);
    SemanticVersion y = v(b);
    SemanticVersion z = v(c);
    assertThat(Integer.signum(x.compareTo(y))).isEqualTo(-Integer.signum(y.compareTo(x)));
    if (x.compareTo(y) <= 0 && y.compareTo(z) <= 0) {
      assertThat(x.compareTo(z)).isLessThanOrEqualTo(0);
    }
    assertThat(x.equals(y)).isEqualTo(x.compareTo(y) == 0);
    if (x.equals(y)) {
      assertThat(x.hashCode()).isEqualTo(y.hashCode());
    }
  }

  @Property(tries = 3_000)
  void comparingFromTextAgreesWithParsingFirst(
      @ForAll("versionLike") String text, @ForAll("versions") String other) {
    SemanticVersion reference = v(other);
    SemanticVersion parsed = SemanticVersion.parse(text);
    int fromText = reference.compareFrom(text);
    if (parsed == null) {
      assertThat(fromText).as(text).isEqualTo(SemanticVersion.INVALID);
    } else {
      assertThat(Integer.signum(fromText))
          .as("%s vs %s", text, other)
          .isEqualTo(Integer.signum(parsed.compareTo(reference)));
    }
  }

  @Test
  void comparingFromTextFollowsTheSpecsExample() {
    List<String> ordered =
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1-0",
            "1.0.1");
    for (int i = 0; i < ordered.size(); i++) {
      for (int j = 0; j < ordered.size(); j++) {
        assertThat(Integer.signum(v(ordered.get(j)).compareFrom(ordered.get(i))))
            .as("%s vs %s", ordered.get(i), ordered.get(j))
            .isEqualTo(Integer.signum(Integer.compare(i, j)));
      }
    }
    assertThat(v("1.0.0").compareFrom("1.0.0+build.5")).isZero();
    assertThat(v("1.0.0").compareFrom("v1.0.0")).isEqualTo(SemanticVersion.INVALID);
  }

  @Test
  void comparingFromTextAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    SemanticVersion reference = v("1.0.0-beta.11");
    String[] texts = {"1.0.0-alpha.beta", "2.10.3", "1.0.0-beta.2+sha.1", "v1", "1.0.0-rc.1"};
    long sum = 0;
    for (int i = 0; i < 200_000; i++) {
      sum += reference.compareFrom(texts[i % texts.length]);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000_000; i++) {
      sum += reference.compareFrom(texts[i % texts.length]);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    // The JVM may allocate a few KB on this thread for itself (JIT, class resolution); a single
    // object per call would be at least 16 MB over a million calls.
    assertThat(allocated)
        .as("bytes allocated by 1,000,000 calls (checksum %d)", sum)
        .isLessThan(16_384);
  }

  @Provide
  Arbitrary<String> versionLike() {
    Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789.-+aZv ").ofMaxLength(16);
    return Arbitraries.oneOf(
        noise, versions(), Combinators.combine(versions(), noise).as(String::concat));
  }

  @Provide
  Arbitrary<String> versions() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.of("0", "1", "2", "10", "11"),
            Arbitraries.longs().between(0, 1000).map(Object::toString));
    Arbitrary<String> identifier =
        Arbitraries.oneOf(
            number, Arbitraries.of("alpha", "beta", "rc", "0a", "a0", "-", "A", "x-y"));
    Arbitrary<String> pre =
        identifier
            .list()
            .ofMinSize(0)
            .ofMaxSize(3)
            .map(ids -> ids.isEmpty() ? "" : "-" + String.join(".", ids));
    Arbitrary<String> build = Arbitraries.of("", "+001", "+build.7", "+sha-5114f85");
    return Combinators.combine(number, number, number, pre, build)
        .as((ma, mi, pa, p, b) -> ma + "." + mi + "." + pa + p + b);
  }

  private static boolean coreFitsInLong(String text) {
    String core = text.split("[-+]", 2)[0];
    for (String part : core.split("\\.")) {
      if (part.length() > 18
          && new java.math.BigInteger(part).compareTo(java.math.BigInteger.valueOf(Long.MAX_VALUE))
              > 0) {
        return false;
      }
    }
    return true;
  }

  private static void assertStrictlyIncreasing(List<String> texts) {
    List<SemanticVersion> versions = new ArrayList<>();
    for (String t : texts) {
      versions.add(v(t));
    }
    for (int i = 0; i + 1 < versions.size(); i++) {
      assertThat(versions.get(i))
          .as("%s < %s", texts.get(i), texts.get(i + 1))
          .isLessThan(versions.get(i + 1));
      assertThat(versions.get(i + 1))
          .as("%s > %s", texts.get(i + 1), texts.get(i))
          .isGreaterThan(versions.get(i));
    }
    List<SemanticVersion> shuffled = new ArrayList<>(versions);
    Collections.reverse(shuffled);
    Collections.sort(shuffled);
    assertThat(shuffled).containsExactlyElementsOf(versions);
  }
}
