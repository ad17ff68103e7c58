package dev.flags.spring;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains start-up failures caused by {@code flags.*} properties: the property, its value, what is
 * wrong and the fix. Runs before Spring Boot's generic binding analyzer, so a bad {@code flags.*}
 * value gets this report rather than the generic one.
 */
final class FlagsFailureAnalyzer extends AbstractFailureAnalyzer<RuntimeException>
    implements Ordered {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, RuntimeException cause) {
    FlagsConfigurationException flags = findCause(rootFailure, FlagsConfigurationException.class);
    if (flags != null) {
      return new FailureAnalysis(
          "Invalid flags configuration:\n\n    Property: "
              + flags.property()
              + "\n    Value: \""
              + flags.value()
              + "\"\n    Reason: "
              + flags.problem(),
          flags.fix(),
          flags);
    }
    BindException bind = findCause(rootFailure, BindException.class);
    if (bind != null && bind.getName().toString().startsWith("flags")) {
      String property =
          bind.getProperty() != null
              ? bind.getProperty().getName().toString()
              : bind.getName().toString();
      Object value = bind.getProperty() != null ? bind.getProperty().getValue() : "";
      Throwable reason = bind.getCause();
      while (reason != null && reason.getCause() != null && reason.getCause() != reason) {
        reason = reason.getCause();
      }
      return new FailureAnalysis(
          "Invalid flags configuration:\n\n    Property: "
              + property
              + "\n    Value: \""
              + value
              + "\"\n    Reason: "
              + (reason != null ? reason.getMessage() : "it cannot be bound"),
          fixFor(property),
          bind);
    }
    return null;
  }

  private static String fixFor(String property) {
    if (property.equals("flags.store")) {
      return "Set flags.store to properties, file or redis.";
    }
    if (property.endsWith("interval")
        || property.endsWith("timeout")
        || property.endsWith("max-age")) {
      return "Set " + property + " to a duration such as 500ms, 30s or 5m.";
    }
    return "Fix "
        + property
        + " in your configuration (see docs/spring-boot.md for the flags.* properties).";
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
