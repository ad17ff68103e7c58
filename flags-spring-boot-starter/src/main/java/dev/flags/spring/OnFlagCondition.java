package dev.flags.spring;

import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link ConditionalOnFlag}: answers from the context's {@link ConditionSnapshot}, which reads the
 * configured store once per context, without any bean (a condition runs while bean definitions are
 * still being collected).
 */
final class OnFlagCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, Object> attributes =
        metadata.getAnnotationAttributes(ConditionalOnFlag.class.getName());
    String key = (String) attributes.get("value");
    String havingValue = (String) attributes.get("havingValue");
    boolean matchIfMissing = (Boolean) attributes.get("matchIfMissing");
    ConditionMessage.Builder message =
        ConditionMessage.forCondition(ConditionalOnFlag.class, "(" + key + "=" + havingValue + ")");

    ConditionSnapshot snapshot = ConditionSnapshot.of(context);
    ConditionSnapshot.Lookup lookup = snapshot.lookup(key);
    if (lookup.value().isEmpty()) {
      return new ConditionOutcome(
          matchIfMissing,
          message.because(
              "flag not found in the "
                  + snapshot.store().name().toLowerCase(Locale.ROOT)
                  + " store ("
                  + lookup.why()
                  + "); matchIfMissing="
                  + matchIfMissing));
    }
    String actual = text(lookup.value().get());
    return actual.equals(havingValue)
        ? ConditionOutcome.match(message.foundExactly("flag serving " + actual))
        : ConditionOutcome.noMatch(message.found("flag serving").items(actual));
  }

  /** The text {@code havingValue} is compared with: strings unquoted, everything else as JSON. */
  static String text(JsonValue value) {
    if (value instanceof JsonValue.Str s) {
      return s.value();
    }
    if (value instanceof JsonValue.Num n) {
      return n.value().stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  /**
   * Reads flags straight from a store at start-up, over one connection opened on first use.
   * Implementations are loaded by name and have a constructor taking the {@link Environment}.
   */
  interface BootstrapReader extends AutoCloseable {
    /** The flag as a one-flag set, or empty when missing or unreachable. */
    Optional<FlagSet> read(String flagKey);

    /** Releases the connection. */
    @Override
    void close();
  }
}
