package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantsTest {

  private static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void readsUtcDateTimes() {
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T10:00:00Z")))
        .isEqualTo(millis("2026-01-05T10:00:00Z"));
    assertThat(Instants.parseMillis(JsonValue.of("1970-01-01T00:00:00Z"))).isZero();
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05t10:00:00z")))
        .isEqualTo(millis("2026-01-05T10:00:00Z"));
  }

  @Test
  void appliesOffsets() {
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T12:00:00+02:00")))
        .isEqualTo(millis("2026-01-05T10:00:00Z"));
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T05:30:00-04:30")))
        .isEqualTo(millis("2026-01-05T10:00:00Z"));
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T10:00:00-00:00")))
        .isEqualTo(millis("2026-01-05T10:00:00Z"));
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T18:00:00+18:00")))
        .isEqualTo(millis("2026-01-05T00:00:00Z"));
  }

  @Test
  void truncatesFractionsToMilliseconds() {
    long base = millis("2026-01-05T10:00:00Z");
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T10:00:00.5Z"))).isEqualTo(base + 500);
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T10:00:00.12Z"))).isEqualTo(base + 120);
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T10:00:00.123Z")))
        .isEqualTo(base + 123);
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T10:00:00.123999999Z")))
        .isEqualTo(base + 123);
    assertThat(Instants.parseMillis(JsonValue.of("1969-12-31T23:59:59.9999Z"))).isEqualTo(-1);
  }

  @Test
  void secondsMayBeOmitted() {
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T10:00Z")))
        .isEqualTo(millis("2026-01-05T10:00:00Z"));
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05T12:00+02:00")))
        .isEqualTo(millis("2026-01-05T10:00:00Z"));
  }

  @Test
  void readsADateAloneAsMidnightUtc() {
    assertThat(Instants.parseMillis(JsonValue.of("2026-01-05")))
        .isEqualTo(millis("2026-01-05T00:00:00Z"));
    assertThat(Instants.parseMillis(JsonValue.of("2024-02-29")))
        .isEqualTo(millis("2024-02-29T00:00:00Z"));
    assertThat(Instants.parseMillis(JsonValue.of("0000-01-01")))
        .isEqualTo(LocalDate.of(0, 1, 1).toEpochDay() * 86_400_000L);
  }

  @Test
  void readsIntegralNumbersAsEpochMillis() {
    assertThat(Instants.parseMillis(JsonValue.of(1_767_607_200_000L)))
        .isEqualTo(1_767_607_200_000L);
    assertThat(Instants.parseMillis(JsonValue.of(0))).isZero();
    assertThat(Instants.parseMillis(JsonValue.of(-86_400_000L))).isEqualTo(-86_400_000L);
    assertThat(Instants.parseMillis(JsonValue.of(1.7676072E12))).isEqualTo(1_767_607_200_000L);
    assertThat(Instants.parseMillis(new JsonValue.Num(new BigDecimal("1767607200000.000"))))
        .isEqualTo(1_767_607_200_000L);
    assertThat(Instants.parseMillis(JsonValue.of((1L << 53) - 1))).isEqualTo((1L << 53) - 1);
    assertThat(Instants.parseMillis(JsonValue.of(-((1L << 53) - 1)))).isEqualTo(-((1L << 53) - 1));
  }

  @Test
  void rejectsNumbersThatAreNotExactEpochMillis() {
    assertThat(Instants.parseMillis(JsonValue.of(1.5))).isEqualTo(Long.MIN_VALUE);
    assertThat(Instants.parseMillis(JsonValue.of(1L << 53))).isEqualTo(Long.MIN_VALUE);
    assertThat(Instants.parseMillis(JsonValue.of(-(1L << 53)))).isEqualTo(Long.MIN_VALUE);
    assertThat(Instants.parseMillis(JsonValue.of(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    assertThat(Instants.parseMillis(new JsonValue.Num(new BigDecimal("1e400"))))
        .isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void rejectsOtherJsonTypes() {
    for (JsonValue v :
        List.of(
            JsonValue.TRUE,
            JsonValue.NULL,
            JsonValue.array(JsonValue.of("2026-01-05")),
            JsonValue.from(Map.of("at", "2026-01-05")))) {
      assertThat(Instants.parseMillis(v)).as(v.toString()).isEqualTo(Long.MIN_VALUE);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026",
        "2026-01",
        "2026-1-5",
        "20260105",
        "2026-01-05T10:00:00",
        "2026-01-05T10:00",
        "2026-01-05 10:00:00Z",
        "2026-01-05T10Z",
        "2026-01-05T1000Z",
        "2026-01-05T10:00:00.Z",
        "2026-01-05T10:00:00,5Z",
        "2026-01-05T10:00:00.1234567890Z",
        "2026-01-05T24:00:00Z",
        "2026-01-05T10:60:00Z",
        "2026-01-05T10:00:60Z",
        "2026-02-29",
        "2026-02-30T00:00:00Z",
        "2026-13-01",
        "2026-00-10",
        "2026-01-00",
        "2026-04-31",
        "1900-02-29",
        "+2026-01-05",
        "-2026-01-05",
        "12026-01-05",
        " 2026-01-05",
        "2026-01-05 ",
        "2026-01-05T10:00:00+02",
        "2026-01-05T10:00:00+0200",
        "2026-01-05T10:00:00+18:01",
        "2026-01-05T10:00:00+19:00",
        "2026-01-05T10:00:00+02:60",
        "2026-01-05T10:00:00ZZ",
        "2026-01-05T10:00:00Z[UTC]",
        "2026-W02-1",
        "2026-005",
        "now",
        "1767607200000",
        "２０２６-01-05",
        "2026-01-05T10:00:00+02:00 "
      })
  void rejectsTextsThatAreNotInstants(String text) {
    assertThat(Instants.parseMillis(JsonValue.of(text))).isEqualTo(Long.MIN_VALUE);
  }

  @Property(tries = 3_000)
  void agreesWithJavaTime(
      @ForAll("dateTimes") OffsetDateTime t, @ForAll("formats") DateTimeFormatter format) {
    String text = format.format(t);
    // The oracle reads the text back with java.time: some formats drop part of the fraction.
    long expected =
        OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            .toInstant()
            .toEpochMilli();
    assertThat(Instants.parseMillis(JsonValue.of(text))).as(text).isEqualTo(expected);
  }

  @Property(tries = 1_000)
  void datesAgreeWithJavaTime(@ForAll("dates") LocalDate d) {
    assertThat(Instants.parseMillis(JsonValue.of(d.toString())))
        .as(d.toString())
        .isEqualTo(d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
  }

  @Provide
  Arbitrary<LocalDate> dates() {
    return Arbitraries.longs()
        .between(LocalDate.of(0, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay())
        .map(LocalDate::ofEpochDay);
  }

  @Provide
  Arbitrary<OffsetDateTime> dateTimes() {
    Arbitrary<Integer> nanos =
        Arbitraries.oneOf(
            Arbitraries.just(0),
            Arbitraries.integers().between(0, 999).map(m -> m * 1_000_000),
            Arbitraries.integers().between(0, 999_999_999));
    Arbitrary<Integer> offsetMinutes =
        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(-18 * 60, 18 * 60));
    // Keep the local date-time inside 0000..9999 whatever the offset.
    Arbitrary<Long> seconds =
        Arbitraries.longs()
            .between(
                LocalDate.of(0, 1, 2).toEpochDay() * 86_400L,
                LocalDate.of(9999, 12, 30).toEpochDay() * 86_400L);
    return Combinators.combine(seconds, nanos, offsetMinutes)
        .as(
            (s, n, o) ->
                OffsetDateTime.ofInstant(
                    Instant.ofEpochSecond(s, n), ZoneOffset.ofTotalSeconds(o * 60)));
  }

  @Provide
  Arbitrary<DateTimeFormatter> formats() {
    return Arbitraries.of(
        DateTimeFormatter.ISO_OFFSET_DATE_TIME,
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX"),
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX"),
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SXXX"));
  }
}
