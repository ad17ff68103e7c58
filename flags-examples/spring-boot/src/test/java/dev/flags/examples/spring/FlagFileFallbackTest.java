package dev.flags.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.examples.testsupport.CheckoutHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Started away from the repository root, where the default {@code flags.file.path} does not exist,
 * the service serves the flag file inside its jar and says so once. Its own application per test,
 * started as {@code java -jar} would, so the log of that start-up can be watched.
 */
@ExtendWith(OutputCaptureExtension.class)
class FlagFileFallbackTest {

  @Test
  void aMissingFlagFileFallsBackToTheShippedOneWithOneWarning(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(CheckoutApplication.class)
            .run("--server.port=0", "--flags.file.path=no-such-dir/flags.json")) {
      CheckoutHttp http =
          new CheckoutHttp(
              context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));

      assertThat(context.getEnvironment().getProperty("flags.file.path"))
          .isEqualTo(FlagFileFallback.SHIPPED);
      assertThat(http.checkout("beta-user-001")).containsEntry("gateway", "beta");
      assertThat(
              context
                  .getBean(Flags.class)
                  .isEnabled("beta_payment_gateway", EvaluationContext.of("beta-user-001")))
          .isTrue();
      assertThat(
              output
                  .getAll()
                  .lines()
                  .filter(line -> line.contains(" WARN ") && line.contains("FlagFileFallback")))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains("no-such-dir/flags.json")
                      .contains("serving the flags.json shipped inside the application"));
    }
  }
}
