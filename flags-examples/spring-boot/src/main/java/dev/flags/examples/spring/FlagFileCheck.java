package dev.flags.examples.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * On the file store: says where the flag file is, so it can be edited, or why no flag is served
 * (the default path is relative to the repository root).
 */
@Component
@ConditionalOnProperty(name = "flags.store", havingValue = "file", matchIfMissing = true)
class FlagFileCheck implements ApplicationRunner {

  private static final Logger LOG = LoggerFactory.getLogger(FlagFileCheck.class);

  private final String path;

  FlagFileCheck(@Value("${flags.file.path:}") String path) {
    this.path = path;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (path.isBlank() || path.startsWith("classpath:")) {
      return;
    }
    Path file = Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path).toAbsolutePath();
    if (Files.exists(file)) {
      LOG.info("Flags come from {}: edit it while the service runs, changes apply at once", file);
    } else {
      LOG.warn("No flag file at {}: every flag serves its default. Run from the repository root, "
          + "or pass --flags.file.path=/path/to/flags.json", file);
    }
  }
}
