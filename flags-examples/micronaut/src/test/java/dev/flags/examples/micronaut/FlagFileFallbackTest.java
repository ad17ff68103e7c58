package dev.flags.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.flags.core.EvaluationContext;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.micronaut.FlagsConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Started away from the repository root, where the default {@code flags.file.path} does not exist,
 * the service serves the flag file inside its jar and says so once. Its own context per test, so
 * the log of that start-up can be watched.
 */
class FlagFileFallbackTest {

  @Test
  void aMissingFlagFileFallsBackToTheShippedOneWithOneWarning() {
    Logger logger = (Logger) LoggerFactory.getLogger(FlagFileFallback.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try (ApplicationContext context =
        ApplicationContext.run(
                EmbeddedServer.class,
                Map.of("flags.file.path", "no-such-dir/flags.json", "micronaut.server.port", "-1"))
            .getApplicationContext()) {
      CheckoutHttp http = new CheckoutHttp(context.getBean(EmbeddedServer.class).getPort());

      assertThat(context.getBean(FlagsConfiguration.class).getFile().getPath())
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
      logger.detachAppender(log);
    }
  }
}
