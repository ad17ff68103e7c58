package dev.flags.spring.actuate;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.util.ClassUtils;

/**
 * The {@code flags} actuator endpoint, read-only: {@code GET /actuator/flags} lists every flag
 * (on/off, version, owner, kill date, whether it is past it) and the store's status; {@code GET
 * /actuator/flags/{flag}?key=user-1&country=DE} explains what the flag serves to that context: the
 * value, the variation, and why (rule index and id, rollout bucket, failed prerequisite…). Every
 * query parameter other than {@code key}, {@code kind} and {@code anonymous} becomes a string
 * attribute of the context (over HTTP with Spring MVC).
 *
 * <p>With {@code flags.actuator.write-enabled=true} the endpoint also accepts writes (see {@link
 * WritableFlagsEndpoint}). Thread-safe.
 */
@Endpoint(id = "flags")
public class FlagsEndpoint {

  private static final Set<String> RESERVED = Set.of("key", "kind", "anonymous");
  private static final boolean SERVLET_PRESENT =
      ClassUtils.isPresent(
              "org.springframework.web.context.request.ServletRequestAttributes",
              FlagsEndpoint.class.getClassLoader())
          && ClassUtils.isPresent(
              "jakarta.servlet.http.HttpServletRequest", FlagsEndpoint.class.getClassLoader());

  final Flags flags;
  final Clock clock;

  /** An endpoint over this client. */
  public FlagsEndpoint(Flags flags) {
    this(flags, Clock.systemUTC());
  }

  /** An endpoint over this client that judges kill dates by {@code clock}. */
  public FlagsEndpoint(Flags flags, Clock clock) {
    this.flags = flags;
    this.clock = clock;
  }

  /** Every flag, sorted by key, and the store's status. */
  @ReadOperation
  public FlagsReport flags() {
    Instant now = clock.instant();
    List<FlagSummary> summaries = flags.allFlags().stream().map(f -> summary(f, now)).toList();
    return new FlagsReport(
        flags.status().name(),
        flags.isInitialized(),
        summaries.size(),
        (int) summaries.stream().filter(FlagSummary::stale).count(),
        summaries);
  }

  /**
   * What {@code flag} serves to the context of {@code key} (default {@code anonymous}) and why.
   *
   * @param key the context key; {@code null} for an anonymous context
   * @param kind the context kind; {@code null} for {@code user}
   */
  @ReadOperation
  @SuppressWarnings("deprecation") // see WritableFlagsEndpoint#change for why this @Nullable
  public FlagExplanation explain(
      @Selector String flag,
      @org.springframework.lang.Nullable String key,
      @org.springframework.lang.Nullable String kind) {
    EvaluationContext.Builder builder =
        key == null || key.isEmpty()
            ? EvaluationContext.builder("anonymous").anonymous(true)
            : EvaluationContext.builder(key);
    if (kind != null && !kind.isEmpty()) {
      builder.kind(kind);
    }
    Map<String, String> attributes =
        SERVLET_PRESENT ? RequestAttributes.queryParameters(RESERVED) : Map.of();
    attributes.forEach(builder::set);
    EvaluationContext context = builder.build();
    EvaluationDetail<JsonValue> detail = flags.getJsonDetail(flag, context, JsonValue.NULL);
    EvaluationReason reason = detail.reason();
    return new FlagExplanation(
        flag,
        flags.flag(flag).isPresent(),
        new ContextView(context.key(), context.kind(), context.anonymous(), attributes),
        JsonValues.plain(detail.value()),
        detail.variationIndex().isPresent() ? detail.variationIndex().getAsInt() : null,
        reason.kind().name(),
        reason.ruleIndex().isPresent() ? reason.ruleIndex().getAsInt() : null,
        reason.ruleId().orElse(null),
        reason.bucket().isPresent() ? reason.bucket().getAsInt() : null,
        reason.prerequisiteKey().orElse(null),
        reason.errorKind().map(Enum::name).orElse(null),
        reason.toString());
  }

  static FlagSummary summary(Flag flag, Instant now) {
    return new FlagSummary(
        flag.key(),
        flag.on(),
        flag.version(),
        flag.metadata().description(),
        flag.metadata().owner(),
        flag.metadata().tags(),
        flag.metadata().killDate().map(Instant::toString).orElse(null),
        flag.metadata().isPastKillDate(now));
  }

  /**
   * The list of flags.
   *
   * @param storeStatus the store's status: INITIALIZING, OK, STALE or UNAVAILABLE
   * @param initialized whether the store has delivered its first load
   * @param count the number of flags
   * @param pastKillDate how many flags are past their kill date
   * @param flags the flags, by key
   */
  public record FlagsReport(
      String storeStatus,
      boolean initialized,
      int count,
      int pastKillDate,
      List<FlagSummary> flags) {}

  /**
   * One flag in the list.
   *
   * @param key the key
   * @param on whether targeting is on (off serves the off variation)
   * @param version the version
   * @param description what it is for
   * @param owner who to ask
   * @param tags labels
   * @param killDate when it should be removed, or {@code null}
   * @param stale whether the kill date has passed
   */
  public record FlagSummary(
      String key,
      boolean on,
      long version,
      String description,
      String owner,
      List<String> tags,
      String killDate,
      boolean stale) {}

  /**
   * The context a flag was explained for.
   *
   * @param key the key
   * @param kind the kind
   * @param anonymous whether anonymous
   * @param attributes the attributes taken from the query
   */
  public record ContextView(
      String key, String kind, boolean anonymous, Map<String, String> attributes) {}

  /**
   * What a flag serves to a context, and why.
   *
   * @param flag the flag key
   * @param exists whether the flag exists
   * @param context the context evaluated
   * @param value the value served ({@code null} when the caller's default would be)
   * @param variation the variation index, or {@code null} for the default
   * @param reason OFF, TARGET_MATCH, RULE_MATCH, FALLTHROUGH, PREREQUISITE_FAILED or ERROR
   * @param ruleIndex the index of the matching rule, or {@code null}
   * @param ruleId the id of the matching rule, or {@code null}
   * @param bucket the context's rollout bucket (0..99,999), or {@code null} when no rollout decided
   * @param prerequisiteKey the failed prerequisite, or {@code null}
   * @param errorKind the error, or {@code null}
   * @param explanation the reason in one line
   */
  public record FlagExplanation(
      String flag,
      boolean exists,
      ContextView context,
      Object value,
      Integer variation,
      String reason,
      Integer ruleIndex,
      String ruleId,
      Integer bucket,
      String prerequisiteKey,
      String errorKind,
      String explanation) {}
}
