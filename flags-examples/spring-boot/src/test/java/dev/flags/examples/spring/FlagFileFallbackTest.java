package dev.flags.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.integration.FlagsConfigurationException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Started away from the repository root, where the default flag file does not exist, the service
 * serves the flag file inside its jar and says so once; a flag file given explicitly that does not
 * exist stops start-up, naming the property (issue 18, item 6). Its own application per test,
 * started as {@code java -jar} would, so the log of that start-up can be watched.
 */
@ExtendWith(OutputCaptureExtension.class)
class FlagFileFallbackTest {

  @Test
  void aMissingDefaultFlagFileFallsBackToTheShippedOneWithOneWarning(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(CheckoutApplication.class)
            .run("--server.port=0", "--checkout.default-flag-file=no-such-dir/flags.json")) {
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

  @Test
  void anExplicitFlagFileThatDoesNotExistStopsStartUpNamingTheProperty() {
    Throwable failure =
        catchThrowable(
            () ->
                new SpringApplicationBuilder(CheckoutApplication.class)
                    .run("--server.port=0", "--flags.file.path=no-such-dir/flags.json")
                    .close());
    assertThat(failure)
        .hasRootCauseInstanceOf(FlagsConfigurationException.class)
        .extracting(
            t -> rootCause(t), InstanceOfAssertFactories.type(FlagsConfigurationException.class))
        .satisfies(
            e -> {
              assertThat(e.property()).isEqualTo("flags.file.path");
              assertThat(e.problem()).isEqualTo("does not exist");
            });
  }

  private static Throwable rootCause(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }
}
