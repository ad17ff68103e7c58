package dev.flags.examples.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The flag file when none is given: {@code checkout.default-flag-file} (relative to the repository
 * root), said where it is so it can be edited; when it does not exist (the service started away
 * from the repository), the {@value #SHIPPED} inside the jar instead, with one warning saying so —
 * as the Micronaut example does. An explicit {@code --flags.file.path} is left alone: if it does
 * not exist, start-up fails naming the property (flags-integration checks it), rather than silently
 * serving other flags.
 *
 * <p>Registered in {@code META-INF/spring.factories}. It adds the path as the lowest property
 * source, so the starter's file store and its {@code @ConditionalOnFlag} reads both see it. It
 * listens for {@link ApplicationPreparedEvent}: by then the environment holds every source of the
 * path (command line, test properties, {@code @DynamicPropertySource}), logging is set up, and no
 * bean has read the path yet.
 */
final class FlagFileFallback implements ApplicationListener<ApplicationPreparedEvent> {

  /** The flag file shipped inside the jar (the build copies {@code flags.json} there). */
  static final String SHIPPED = "classpath:flags.json";

  /** Where the example's flag file is, relative to the repository root. */
  static final String DEFAULT = "checkout.default-flag-file";

  private static final Logger LOG = LoggerFactory.getLogger(FlagFileFallback.class);

  @Override
  public void onApplicationEvent(ApplicationPreparedEvent event) {
    ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
    if (environment.containsProperty("flags.file.path")) {
      return;
    }
    String path;
    Path file = Path.of(environment.getProperty(DEFAULT, "flags.json")).toAbsolutePath();
    if (Files.exists(file)) {
      path = file.toString();
      if (environment.getProperty("flags.store", "file").equalsIgnoreCase("file")) {
        LOG.info("Flags come from {}: edit it while the service runs, changes apply at once", file);
      }
    } else {
      path = SHIPPED;
      if (environment.getProperty("flags.store", "file").equalsIgnoreCase("file")) {
        LOG.warn(
            "No flag file at {}: serving the flags.json shipped inside the application (read"
                + " once, edits are not seen). Run from the repository root, or pass"
                + " --flags.file.path=/path/to/flags.json",
            file);
      }
    }
    environment
        .getPropertySources()
        .addLast(new MapPropertySource("flagFileFallback", Map.of("flags.file.path", path)));
  }
}
