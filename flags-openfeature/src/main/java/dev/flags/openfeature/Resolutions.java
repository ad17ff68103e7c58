package dev.flags.openfeature;

import dev.flags.core.EvaluationDetail;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.core.Serve;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Our evaluation details → OpenFeature's {@link ProviderEvaluation}: the value, the variant (the
 * index of the variation served, in decimal: our variations have no names), the reason, the error
 * code and the flag metadata. The tables are in {@code docs/openfeature.md}.
 *
 * <p>What depends only on a flag's definition (its metadata, whether it is static, its object
 * values) is computed once per definition and kept in {@link #infos}, replaced when the definition
 * changes; so the common evaluation allocates only the {@code ProviderEvaluation}. Thread-safe.
 */
final class Resolutions {

  // Per-evaluation metadata keys (present when the reason has them).
  static final String RULE_INDEX = "ruleIndex";
  static final String RULE_ID = "ruleId";
  static final String BUCKET = "bucket";
  static final String PREREQUISITE_KEY = "prerequisiteKey";
  // Per-definition metadata keys (present when the flag has them).
  static final String VERSION = "version";
  static final String OWNER = "owner";
  static final String DESCRIPTION = "description";
  static final String TAGS = "tags";
  static final String CREATED_AT = "createdAt";
  static final String KILL_DATE = "killDate";

  private static final String STATIC = Reason.STATIC.name();
  private static final String DEFAULT = Reason.DEFAULT.name();
  private static final String TARGETING_MATCH = Reason.TARGETING_MATCH.name();
  private static final String SPLIT = Reason.SPLIT.name();
  private static final String DISABLED = Reason.DISABLED.name();
  private static final String ERROR = Reason.ERROR.name();

  private static final String[] VARIANTS = new String[256];

  static {
    for (int i = 0; i < VARIANTS.length; i++) {
      VARIANTS[i] = Integer.toString(i);
    }
  }

  private final Flags flags;
  private final ConcurrentHashMap<String, FlagInfo> infos = new ConcurrentHashMap<>();

  Resolutions(Flags flags) {
    this.flags = flags;
  }

  /** What we keep per flag definition: compared by identity, so a new definition replaces it. */
  static final class FlagInfo {
    final Flag definition;
    final ImmutableMetadata metadata;
    final boolean isStatic;

    /**
     * Whether every context gets the same answer: the flag is off, or static. The provider then
     * skips converting the caller's context (the costliest part of an OpenFeature evaluation).
     */
    final boolean contextFree;

    final Value[] objectValues; // by variation index, filled on first use (a benign race)

    FlagInfo(Flag definition) {
      this.definition = definition;
      this.metadata = metadata(definition);
      this.isStatic =
          definition.targets().isEmpty()
              && definition.rules().isEmpty()
              && definition.prerequisites().isEmpty()
              && definition.fallthrough() instanceof Serve.Variation;
      this.contextFree = !definition.on() || isStatic;
      this.objectValues = new Value[definition.variations().size()];
    }
  }

  /** What we know of the flag's current definition; {@code null} when there is none. */
  // Identity of the immutable definition: the client replaces the object whenever the flag changes,
  // and comparing by value would cost a deep comparison per evaluation.
  @SuppressWarnings("ReferenceEquality")
  @Nullable FlagInfo info(String key) {
    Optional<Flag> current = key == null ? Optional.empty() : flags.flag(key);
    if (current.isEmpty()) {
      return null;
    }
    Flag definition = current.get();
    FlagInfo info = infos.get(key);
    if (info == null || info.definition != definition) {
      info = new FlagInfo(definition);
      infos.put(key, info);
    }
    return info;
  }

  /** Whether {@code info} is still of the flag's current definition. */
  @SuppressWarnings("ReferenceEquality") // as in info(key)
  boolean isCurrent(String key, FlagInfo info) {
    Optional<Flag> current = flags.flag(key);
    return current.isPresent() && current.get() == info.definition;
  }

  /** Forgets a flag that no longer exists (called on every change; cheap). */
  void changed(String key) {
    if (flags.flag(key).isEmpty()) {
      infos.remove(key);
    }
  }

  /**
   * An evaluation in OpenFeature's terms. {@code value} is what to report: the served value, or the
   * caller's own default object when {@code detail} is an error.
   */
  <T> ProviderEvaluation<T> resolve(
      String key, EvaluationDetail<?> detail, T value, @Nullable FlagInfo info) {
    EvaluationReason reason = detail.reason();
    ImmutableMetadata metadata = info == null ? ImmutableMetadata.EMPTY : info.metadata;
    if (reason.kind() == EvaluationReason.Kind.ERROR || detail.variationIndex().isEmpty()) {
      EvaluationReason.ErrorKind kind =
          reason.errorKind().orElse(EvaluationReason.ErrorKind.EXCEPTION);
      return new ProviderEvaluation<>(
          value, null, ERROR, errorCode(kind), errorMessage(key, kind), metadata);
    }
    int variation = detail.variationIndex().getAsInt();
    String variant =
        variation < VARIANTS.length ? VARIANTS[variation] : Integer.toString(variation);
    String ofReason;
    switch (reason.kind()) {
      case OFF -> ofReason = DISABLED;
      case TARGET_MATCH -> ofReason = TARGETING_MATCH;
      case PREREQUISITE_FAILED -> {
        ofReason = DISABLED;
        metadata = extended(metadata, reason);
      }
      case RULE_MATCH -> {
        ofReason = reason.bucket().isPresent() ? SPLIT : TARGETING_MATCH;
        metadata = extended(metadata, reason);
      }
      default -> { // FALLTHROUGH
        if (reason.bucket().isPresent()) {
          ofReason = SPLIT;
          metadata = extended(metadata, reason);
        } else {
          ofReason = info != null && info.isStatic ? STATIC : DEFAULT;
        }
      }
    }
    return new ProviderEvaluation<>(value, variant, ofReason, null, null, metadata);
  }

  /** The OpenFeature form of an object flag's value, converted once per variation. */
  Value objectValue(EvaluationDetail<JsonValue> detail, @Nullable FlagInfo info) {
    JsonValue json = detail.value();
    int v = detail.variationIndex().orElse(-1);
    // The detail and the cached definition may come from two moments (a change in between): use
    // the cached form only when it is of this very value.
    if (info != null
        && v >= 0
        && v < info.objectValues.length
        && info.definition.variations().get(v) == json) {
      Value cached = info.objectValues[v];
      if (cached == null) {
        cached = ValueMapping.toValue(json);
        info.objectValues[v] = cached;
      }
      return cached;
    }
    return ValueMapping.toValue(json);
  }

  static ErrorCode errorCode(EvaluationReason.ErrorKind kind) {
    return switch (kind) {
      case FLAG_NOT_FOUND -> ErrorCode.FLAG_NOT_FOUND;
      case WRONG_TYPE -> ErrorCode.TYPE_MISMATCH;
      case MALFORMED_FLAG -> ErrorCode.PARSE_ERROR;
      case CLIENT_NOT_READY, STORE_UNAVAILABLE, CLIENT_CLOSED -> ErrorCode.PROVIDER_NOT_READY;
      case INVALID_ARGUMENT, EXCEPTION -> ErrorCode.GENERAL;
    };
  }

  private static String errorMessage(String key, EvaluationReason.ErrorKind kind) {
    String flag = "flag \"" + key + "\"";
    return switch (kind) {
      case FLAG_NOT_FOUND -> flag + " not found";
      case WRONG_TYPE -> flag + " serves a value of another type than the one asked for";
      case MALFORMED_FLAG -> flag + " has an invalid definition (the store's log says why)";
      case CLIENT_NOT_READY -> "the flag store has not loaded yet";
      case STORE_UNAVAILABLE -> "the flag store is unavailable and has never loaded";
      case CLIENT_CLOSED -> "the Flags client is closed";
      case INVALID_ARGUMENT -> "a flag key is required";
      case EXCEPTION -> "unexpected error evaluating " + flag + " (logged by Flags)";
    };
  }

  private static ImmutableMetadata metadata(Flag flag) {
    FlagMetadata m = flag.metadata();
    ImmutableMetadata.ImmutableMetadataBuilder b = ImmutableMetadata.builder();
    b.addLong(VERSION, flag.version());
    if (!m.owner().isEmpty()) {
      b.addString(OWNER, m.owner());
    }
    if (!m.description().isEmpty()) {
      b.addString(DESCRIPTION, m.description());
    }
    if (!m.tags().isEmpty()) {
      b.addString(TAGS, String.join(",", m.tags()));
    }
    m.createdAt().ifPresent(t -> b.addString(CREATED_AT, t.toString()));
    m.killDate().ifPresent(t -> b.addString(KILL_DATE, t.toString()));
    return b.build();
  }

  /** The flag's metadata plus what this evaluation's reason says (rule, bucket, prerequisite). */
  private static ImmutableMetadata extended(ImmutableMetadata base, EvaluationReason reason) {
    ImmutableMetadata.ImmutableMetadataBuilder b = ImmutableMetadata.builder();
    base.asUnmodifiableMap().forEach((k, v) -> add(b, k, v));
    reason.ruleIndex().ifPresent(i -> b.addInteger(RULE_INDEX, i));
    reason.ruleId().ifPresent(id -> b.addString(RULE_ID, id));
    reason.bucket().ifPresent(i -> b.addInteger(BUCKET, i));
    reason.prerequisiteKey().ifPresent(k -> b.addString(PREREQUISITE_KEY, k));
    return b.build();
  }

  private static void add(ImmutableMetadata.ImmutableMetadataBuilder b, String key, Object v) {
    if (v instanceof Long l) {
      b.addLong(key, l);
    } else {
      b.addString(key, String.valueOf(v));
    }
  }
}
