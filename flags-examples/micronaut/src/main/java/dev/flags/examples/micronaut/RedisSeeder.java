package dev.flags.examples.micronaut;

import dev.flags.core.FlagSet;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.json.FlagCodec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the Redis store: writes the example's flags into Redis when they are not there yet (the first
 * run against a fresh Redis), through the {@link FlagAdmin} so the audit records it. Flags already
 * in Redis are left alone: Redis is the truth once seeded.
 *
 * <p>It never holds start-up: the service starts whether Redis answers or not (down, or the URL
 * points at something that is not Redis), serves callers' defaults meanwhile, and seeds in the
 * background, trying again every {@code checkout.seed.retry-interval} until Redis answers.
 */
@Singleton
@Requires(property = "flags.store", value = "redis")
public class RedisSeeder implements ApplicationEventListener<StartupEvent> {

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
      @Value("${flags.file.path:flags.json}") String seedFile,
      @Value("${checkout.seed.retry-interval:2s}") Duration retry) {
    this.admin = admin;
    this.seedFile = seedFile;
    this.retry = retry;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    executor.execute(this::seed);
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }

  private void seed() {
    try {
      String source = file().map(Path::toString).orElse("the flags.json inside the jar");
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

  private Optional<Path> file() {
    if (seedFile.isBlank() || seedFile.startsWith("classpath:")) {
      return Optional.empty();
    }
    Path file = Path.of(seedFile);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
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
