package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SDK's System.Logger lines go through SLF4J, the application's logging (issue 12). */
class LoggingTest {

  @Test
  void logLinesGoThroughSlf4jNotPlainJavaUtilLogging() {
    assertThat(System.getLogger("dev.flags.test").getClass().getName()).contains("slf4j");
  }
}
