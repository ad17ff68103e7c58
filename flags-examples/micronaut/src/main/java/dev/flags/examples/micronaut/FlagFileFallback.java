package dev.flags.examples.micronaut;

import dev.flags.micronaut.FlagsConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the file store: says where the flag file is, so it can be edited; when there is no file at
 * {@code flags.file.path} (the default path is relative to the repository root), serves the {@value
 * #SHIPPED} inside the jar instead, with one warning saying so, as the Spring Boot example's {@code
 * FlagFileFallback} does. Runs when the configuration is bound, before the store is built from it.
 */
@Singleton
class FlagFileFallback implements BeanCreatedEventListener<FlagsConfiguration> {

  /** The flag file shipped inside the jar (the build copies {@code flags.json} there). */
  static final String SHIPPED = "classpath:flags.json";

  private static final Logger LOG = LoggerFactory.getLogger(FlagFileFallback.class);

  @Override
  public FlagsConfiguration onCreated(BeanCreatedEvent<FlagsConfiguration> event) {
    FlagsConfiguration config = event.getBean();
    if (config.storeKind() != FlagsConfiguration.StoreKind.FILE) {
      return config;
    }
    String path = config.getFile().getPath().orElse("");
    if (path.startsWith("classpath:")) {
      return config;
    }
    Path file = Path.of(path).toAbsolutePath();
    if (Files.exists(file)) {
      LOG.info("Flags come from {}: edit it while the service runs, changes apply at once", file);
    } else {
      LOG.warn(
          "No flag file at {}: serving the flags.json shipped inside the application (read once, "
              + "edits are not seen). Run from the repository root, or pass --flags.file.path=/path/to/flags.json",
          file);
      config.getFile().setPath(SHIPPED);
    }
    return config;
  }
}
