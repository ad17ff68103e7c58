package dev.flags.spring;

import dev.flags.integration.StartupFlags;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
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
    // This condition is only ever the one of @ConditionalOnFlag, whose value is required.
    Map<String, Object> attributes =
        Objects.requireNonNull(metadata.getAnnotationAttributes(ConditionalOnFlag.class.getName()));
    String key = (String) Objects.requireNonNull(attributes.get("value"));
    String havingValue = (String) attributes.get("havingValue");
    boolean matchIfMissing = Boolean.TRUE.equals(attributes.get("matchIfMissing"));
    ConditionMessage.Builder message =
        ConditionMessage.forCondition(ConditionalOnFlag.class, "(" + key + "=" + havingValue + ")");
    StartupFlags.Lookup lookup = ConditionSnapshot.of(context).lookup(key);
    if (lookup.value().isEmpty()) {
      return new ConditionOutcome(
          matchIfMissing,
          message.because("flag missing (" + lookup.why() + "); matchIfMissing=" + matchIfMissing));
    }
    String actual = StartupFlags.text(lookup.value().get());
    return actual.equals(havingValue)
        ? ConditionOutcome.match(message.foundExactly("flag serving " + actual))
        : ConditionOutcome.noMatch(message.found("flag serving").items(actual));
  }
}
