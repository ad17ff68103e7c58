package dev.flags.spring.actuate;

import dev.flags.core.Flags;
import dev.flags.spring.FlagEditor;
import java.security.Principal;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code flags} endpoint with its write operation, registered only with {@code
 * flags.actuator.write-enabled=true} (otherwise a POST is answered 405). {@code POST
 * /actuator/flags/{flag}} with a JSON body of one or more of:
 *
 * <ul>
 *   <li>{@code "on": true|false} — turn targeting on or off (the kill switch);
 *   <li>{@code "rolloutPercentage": 10} — serve {@code true} to 10% of contexts;
 *   <li>{@code "addTargets": "user-1,user-2"} with {@code "targetValue": true|false} (default true)
 *       — serve that value to these context keys (a comma-separated string: over HTTP the actuator
 *       reads the body as a map of strings, so a JSON array is refused);
 *   <li>{@code "reason": "..."} — recorded in the audit log.
 * </ul>
 *
 * The change goes through the {@link FlagEditor} (Redis: {@code RedisFlagAdmin}, with its audit
 * stream), with the authenticated principal's name as the actor ({@code anonymous} without one).
 * Who may call it is the application's security configuration for the actuator. A request that
 * cannot be applied (nothing to change, an unknown flag, a percentage outside 0–100, a flag the
 * editor refuses) is answered 400 with the reason; nothing is changed by an invalid request's
 * checks, though an earlier part of a combined request may have been applied when the editor
 * refuses a later one.
 */
@Endpoint(id = "flags")
class WritableFlagsEndpoint extends FlagsEndpoint {

  private final FlagEditor editor;

  WritableFlagsEndpoint(Flags flags, FlagEditor editor, Clock clock) {
    super(flags, clock);
    this.editor = editor;
  }

  /**
   * Changes a flag. Parameters are optional: Spring Boot 3.5 reads optionality from Spring's
   * {@code @Nullable} only, and Boot 4 from any annotation named {@code Nullable}, so Spring's
   * (deprecated in Framework 7 in favour of JSpecify, which Boot 3.5 ignores) is the one both read.
   */
  @WriteOperation
  @SuppressWarnings("deprecation")
  public Map<String, Object> change(
      @Selector String flag,
      @org.springframework.lang.Nullable Boolean on,
      @org.springframework.lang.Nullable Double rolloutPercentage,
      @org.springframework.lang.Nullable String addTargets,
      @org.springframework.lang.Nullable Boolean targetValue,
      @org.springframework.lang.Nullable String reason,
      @org.springframework.lang.Nullable Principal principal) {
    String actor =
        principal != null && principal.getName() != null ? principal.getName() : "anonymous";
    String why = reason != null ? reason : "";
    Map<String, Object> applied = new LinkedHashMap<>();
    if (on == null && rolloutPercentage == null && addTargets == null) {
      throw badRequest("nothing to change: give on, rolloutPercentage or addTargets");
    }
    if (rolloutPercentage != null && !(rolloutPercentage >= 0 && rolloutPercentage <= 100)) {
      throw badRequest("rolloutPercentage must be between 0 and 100, got " + rolloutPercentage);
    }
    try {
      if (on != null) {
        editor.setOn(flag, on, actor, why);
        applied.put("on", on);
      }
      if (rolloutPercentage != null) {
        editor.setRolloutPercentage(flag, rolloutPercentage, actor, why);
        applied.put("rolloutPercentage", rolloutPercentage);
      }
      if (addTargets != null) {
        List<String> keys =
            Arrays.stream(addTargets.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (keys.isEmpty()) {
          throw badRequest("addTargets names no context key");
        }
        boolean value = targetValue == null || targetValue;
        editor.addTargets(flag, value, keys, actor, why);
        applied.put("addTargets", keys);
        applied.put("targetValue", value);
      }
    } catch (IllegalArgumentException | NoSuchElementException e) {
      // The editor's refusals (unknown flag, not a boolean flag, bad value) are the caller's
      // mistake.
      throw badRequest(e.getMessage());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("flag", flag);
    result.put("actor", actor);
    result.put("applied", applied);
    // The client sees the change when the store delivers it (at once in memory, by pub/sub from
    // Redis).
    flags.flag(flag).ifPresent(f -> result.put("current", summary(f, clock.instant())));
    return result;
  }

  /** Answered 400 with the message, by the actuator on Spring Boot 3.5 and 4. */
  private static InvalidEndpointRequestException badRequest(String message) {
    return new InvalidEndpointRequestException(message, message);
  }
}
