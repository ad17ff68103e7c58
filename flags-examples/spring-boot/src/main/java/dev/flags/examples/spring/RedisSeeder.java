package dev.flags.examples.spring;

import dev.flags.core.FlagSet;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.json.FlagCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * With {@code flags.store=redis}: writes the example's flags into Redis when they are not there yet
 * (the first run against a fresh Redis), through the {@link FlagAdmin} so the audit records it.
 * Flags already in Redis are left alone: Redis is the truth once seeded.
 *
 * <p>It never holds start-up: the service starts whether Redis answers or not (down, or the URL
 * points at something that is not Redis), serves callers' defaults meanwhile, and seeds in the
 * background, trying again every {@code checkout.seed.retry-interval} until Redis answers.
 */
@Component
@ConditionalOnProperty(name = "flags.store", havingValue = "redis")
class RedisSeeder implements ApplicationRunner, DisposableBean {

  static final String ACTOR = "checkout-example (seed)";
  private static final Logger LOG = LoggerFactory.getLogger(RedisSeeder.class);

  private final FlagAdmin admin;
  private final String seedFile;
  private final Duration retry;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "checkout-redis-seeder");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean warned;

  RedisSeeder(
      FlagAdmin admin,
      @Value("${checkout.seed-file:${flags.file.path:}}") String seedFile,
      @Value("${checkout.seed.retry-interval:2s}") Duration retry) {
    this.admin = admin;
    this.seedFile = seedFile;
    this.retry = retry;
  }

  @Override
  public void run(ApplicationArguments args) {
    executor.execute(this::seed);
  }

  private void seed() {
    try {
      String source = source();
      List<String> created =
          admin.createMissing(read(), Change.by(ACTOR).because("seeded from " + source));
      if (created.isEmpty()) {
        LOG.info("Redis already holds the example's flags; nothing seeded");
      } else {
        LOG.info("Seeded {} flags into Redis from {}: {}", created.size(), source, created);
      }
    } catch (RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.warn(
            "Cannot seed Redis yet ({}); serving defaults, trying again every {}",
            e.getMessage(),
            retry);
      }
      var unused = executor.schedule(this::seed, retry.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }

  private String source() {
    return file().map(Path::toString).orElse("the flags.json inside the jar");
  }

  private java.util.Optional<Path> file() {
    if (seedFile.isBlank() || seedFile.startsWith("classpath:")) {
      return java.util.Optional.empty();
    }
    Path file = Path.of(seedFile);
    return Files.isRegularFile(file) ? java.util.Optional.of(file) : java.util.Optional.empty();
  }

  private FlagSet read() {
    try {
      if (file().isPresent()) {
        return FlagCodec.standard().decodeFlagSet(Files.readAllBytes(file().get()));
      }
      try (InputStream in = RedisSeeder.class.getResourceAsStream("/flags.json")) {
        if (in == null) {
          throw new IllegalStateException("no flags.json inside the jar to seed Redis from");
        }
        return FlagCodec.standard().decodeFlagSet(in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the seed file", e);
    }
  }
}
