package dev.flags.spring.actuate;

import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of the flags, independent of Spring Boot's health types (which moved between Boot 3.5
 * and 4): OK and INITIALIZING are UP; STALE and UNAVAILABLE are UP with the problem in the details,
 * or DOWN with {@code flags.health.fail-on-unavailable=true}.
 */
final class FlagsHealth {

  /** What the health indicator reports. */
  record Result(String status, Map<String, Object> details) {}

  private FlagsHealth() {}

  static Result check(Flags flags, boolean failOnUnavailable, Clock clock) {
    StoreStatus status = flags.status();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("store", status.name());
    details.put("initialized", flags.isInitialized());
    details.put("flags", flags.allFlags().size());
    Instant now = clock.instant();
    long pastKillDate =
        flags.allFlags().stream().filter(f -> f.metadata().isPastKillDate(now)).count();
    details.put("pastKillDate", pastKillDate);
    boolean degraded = status == StoreStatus.STALE || status == StoreStatus.UNAVAILABLE;
    if (degraded) {
      details.put(
          "problem",
          status == StoreStatus.STALE
              ? "the store is unreachable; serving the last known flags"
              : "the store could not be read; serving bootstrap flags or callers' defaults");
    }
    return new Result(degraded && failOnUnavailable ? "DOWN" : "UP", details);
  }
}
