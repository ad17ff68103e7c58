package dev.flags.spring;

import dev.flags.integration.FlagsConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a start-up failure caused by a {@code flags.*} setting: the property, its value (a
 * secret's is masked by flags-integration before it gets here), what is wrong and the fix. Ordered
 * first, so a bad {@code flags.*} value gets this report rather than a generic one.
 */
final class FlagsFailureAnalyzer extends AbstractFailureAnalyzer<FlagsConfigurationException>
    implements Ordered {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, FlagsConfigurationException cause) {
    return new FailureAnalysis(
        "Invalid flags configuration:\n\n    Property: "
            + cause.property()
            + "\n    Value: \""
            + cause.value()
            + "\"\n    Reason: "
            + cause.problem(),
        cause.fix() + " (docs/settings.md lists every flags.* setting.)",
        cause);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
