package dev.flags.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.flags.core.EvaluationContext;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.FlagsSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Started away from the repository root, where the default flag file does not exist, the service
 * serves the flag file inside its jar and says so once; a flag file given explicitly that does not
 * exist stops start-up, naming the property (issue 18, item 6). Its own context per test, so the
 * log of that start-up can be watched.
 */
class FlagFileFallbackTest {

  @Test
  void aMissingDefaultFlagFileFallsBackToTheShippedOneWithOneWarning() {
    Logger logger = (Logger) LoggerFactory.getLogger(FlagFileFallback.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    System.setProperty(FlagFileFallback.DEFAULT, "no-such-dir/flags.json");
    try (ApplicationContext context =
        ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", "-1"))
            .getApplicationContext()) {
      CheckoutHttp http = new CheckoutHttp(context.getBean(EmbeddedServer.class).getPort());

      assertThat(context.getBean(FlagsSettings.class).file().path())
          .contains(FlagFileFallback.SHIPPED);
      assertThat(http.checkout("beta-user-001")).containsEntry("gateway", "beta");
      assertThat(
              context
                  .getBean(dev.flags.core.Flags.class)
                  .isEnabled("beta_payment_gateway", EvaluationContext.of("beta-user-001")))
          .isTrue();
      assertThat(log.list)
          .filteredOn(e -> e.getLevel() == Level.WARN)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getFormattedMessage())
                      .contains("no-such-dir/flags.json")
                      .contains("serving the flags.json shipped inside the application"));
    } finally {
      System.clearProperty(FlagFileFallback.DEFAULT);
      logger.detachAppender(log);
    }
  }

  @Test
  void anExplicitFlagFileThatDoesNotExistStopsStartUpNamingTheProperty() {
    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                ApplicationContext.run(
                        EmbeddedServer.class,
                        Map.of(
                            "flags.file.path", "no-such-dir/flags.json",
                            "micronaut.server.port", "-1"))
                    .getApplicationContext()
                    .close());
    Throwable t = failure;
    while (t != null && !(t instanceof FlagsConfigurationException)) {
      t = t.getCause();
    }
    assertThat(t).as("the cause of %s", failure).isInstanceOf(FlagsConfigurationException.class);
    FlagsConfigurationException e = (FlagsConfigurationException) t;
    assertThat(e.property()).isEqualTo("flags.file.path");
    assertThat(e.problem()).isEqualTo("does not exist");
  }
}
