package dev.flags.examples.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * On the file store: says where the flag file is, so it can be edited; when there is no file at
 * {@code flags.file.path} (the default path is relative to the repository root), serves the {@value
 * #SHIPPED} inside the jar instead, with one warning saying so — as the Micronaut example's {@code
 * FlagFileFallback} does.
 *
 * <p>Registered in {@code META-INF/spring.factories}. It sets the property in the environment, so
 * the starter's file store and its {@code @ConditionalOnFlag} reads both see the shipped file. It
 * listens for {@link ApplicationPreparedEvent} rather than being an {@code
 * EnvironmentPostProcessor}: by then the environment holds every source of the path (command line,
 * test properties and a test's {@code @DynamicPropertySource}, which is added after the
 * post-processors run), logging is set up, and no bean has read the path yet.
 */
final class FlagFileFallback implements ApplicationListener<ApplicationPreparedEvent> {

  /** The flag file shipped inside the jar (the build copies {@code flags.json} there). */
  static final String SHIPPED = "classpath:flags.json";

  private static final Logger LOG = LoggerFactory.getLogger(FlagFileFallback.class);

  @Override
  public void onApplicationEvent(ApplicationPreparedEvent event) {
    ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
    if (!environment
        .getProperty("flags.store", "file")
        .trim()
        .toLowerCase(Locale.ROOT)
        .equals("file")) {
      return;
    }
    String path = environment.getProperty("flags.file.path", "").trim();
    if (path.isEmpty() || path.startsWith("classpath:")) {
      return;
    }
    Path file =
        Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path)
            .toAbsolutePath();
    if (Files.exists(file)) {
      LOG.info("Flags come from {}: edit it while the service runs, changes apply at once", file);
    } else {
      LOG.warn(
          "No flag file at {}: serving the flags.json shipped inside the application (read once, "
              + "edits are not seen). Run from the repository root, or pass --flags.file.path=/path/to/flags.json",
          file);
      environment
          .getPropertySources()
          .addFirst(new MapPropertySource("flagFileFallback", Map.of("flags.file.path", SHIPPED)));
    }
  }
}
