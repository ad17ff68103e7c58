package dev.flags.spring;

import dev.flags.spring.FlagsProperties.Store;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** {@link ConditionalOnFlagStore}. */
final class OnFlagStoreCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Store wanted =
        (Store)
            metadata.getAnnotationAttributes(ConditionalOnFlagStore.class.getName()).get("value");
    Store actual = StoreChoice.fromEnvironment(context.getEnvironment());
    ConditionMessage.Builder message =
        ConditionMessage.forCondition(ConditionalOnFlagStore.class, wanted);
    return actual == wanted
        ? ConditionOutcome.match(message.foundExactly("flag store " + actual))
        : ConditionOutcome.noMatch(message.found("flag store").items(actual));
  }
}
