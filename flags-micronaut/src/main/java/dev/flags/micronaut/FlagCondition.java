package dev.flags.micronaut;

import dev.flags.core.JsonValue;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.AnnotationValue;
import java.math.BigDecimal;
import java.util.Optional;

/** The condition behind {@link RequiresFlag}: a start-up read, see {@link StartupFlags}. */
final class FlagCondition implements Condition {

  @Override
  @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
  public boolean matches(ConditionContext context) {
    AnnotationMetadata metadata = context.getComponent().getAnnotationMetadata();
    AnnotationValue<RequiresFlag> requirement = metadata.getAnnotation(RequiresFlag.class);
    if (requirement == null) {
      return true;
    }
    String key = requirement.stringValue().orElse("");
    String havingValue = requirement.stringValue("havingValue").orElse("true");
    boolean matchIfMissing = requirement.booleanValue("matchIfMissing").orElse(false);
    if (key.isEmpty()) {
      context.fail("@RequiresFlag has no flag key");
      return false;
    }
    Optional<JsonValue> value = StartupFlags.of(context).value(key);
    if (value.isEmpty()) {
      if (!matchIfMissing) {
        context.fail(
            "flag \""
                + key
                + "\" is unknown or could not be read at start-up (matchIfMissing = false)");
      }
      return matchIfMissing;
    }
    String actual = text(value.get());
    if (!actual.equals(havingValue)) {
      context.fail("flag \"" + key + "\" is " + actual + " at start-up, not " + havingValue);
      return false;
    }
    return true;
  }

  /** The value as {@link RequiresFlag#havingValue()} spells it. */
  static String text(JsonValue value) {
    if (value instanceof JsonValue.Str s) {
      return s.value();
    } else if (value instanceof JsonValue.Bool b) {
      return Boolean.toString(b.value());
    } else if (value instanceof JsonValue.Num n) {
      BigDecimal d = n.value().stripTrailingZeros();
      return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }
    return Json.write(value);
  }
}
