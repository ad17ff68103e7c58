package dev.flags.examples.micronaut;

import dev.flags.integration.FlagsSettings;
import dev.flags.integration.StoreKind;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flag file when none is given: {@value #DEFAULT_FILE} (relative to the repository root, or the
 * system property {@value #DEFAULT}), said where it is so it can be edited; when it does not exist
 * (the service started away from the repository), the {@value #SHIPPED} inside the jar instead,
 * with one warning saying so — as the Spring Boot example does. An explicit {@code
 * --flags.file.path} is left alone: if it does not exist, start-up fails naming the property
 * (flags-integration checks it), rather than silently serving other flags.
 *
 * <p>It adds the path as the lowest property source of every application context (an {@link
 * ApplicationContextConfigurer}, registered in {@code META-INF/services}), so anything else that
 * sets it wins; the log line is written when the settings are bound with it.
 */
@Singleton
public class FlagFileFallback
    implements ApplicationContextConfigurer, BeanCreatedEventListener<FlagsSettings> {

  /** The flag file shipped inside the jar (the build copies {@code flags.json} there). */
  static final String SHIPPED = "classpath:flags.json";

  /** The system property naming the default flag file. */
  static final String DEFAULT = "checkout.default-flag-file";

  /** The default flag file, relative to the repository root. */
  static final String DEFAULT_FILE = "flags-examples/micronaut/flags.json";

  private static final Logger LOG = LoggerFactory.getLogger(FlagFileFallback.class);

  @Override
  public void configure(ApplicationContextBuilder builder) {
    builder.propertySources(
        PropertySource.of(
            "flagFileFallback", Map.of("flags.file.path", path()), Integer.MIN_VALUE + 100));
  }

  /** The default file if it exists, else the shipped one. */
  private static String path() {
    Path file = defaultFile();
    return Files.exists(file) ? file.toString() : SHIPPED;
  }

  private static Path defaultFile() {
    return Path.of(System.getProperty(DEFAULT, DEFAULT_FILE)).toAbsolutePath();
  }

  @Override
  public FlagsSettings onCreated(BeanCreatedEvent<FlagsSettings> event) {
    FlagsSettings settings = event.getBean();
    if (settings.store() != StoreKind.FILE) {
      return settings;
    }
    String path = settings.file().path().orElse("");
    if (path.equals(SHIPPED)) {
      LOG.warn(
          "No flag file at {}: serving the flags.json shipped inside the application (read once,"
              + " edits are not seen). Run from the repository root, or pass"
              + " --flags.file.path=/path/to/flags.json",
          defaultFile());
    } else if (path.equals(defaultFile().toString())) {
      LOG.info("Flags come from {}: edit it while the service runs, changes apply at once", path);
    }
    return settings;
  }
}
