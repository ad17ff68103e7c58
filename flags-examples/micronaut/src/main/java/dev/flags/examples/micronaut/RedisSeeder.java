package dev.flags.examples.micronaut;

import dev.flags.core.FlagListener;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.Subscription;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.json.FlagCodec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the Redis store (there is a {@link FlagAdmin} bean): writes the example's flags into Redis
 * when they are not there yet (the first run against a fresh Redis), through {@code RedisFlagAdmin}
 * so the audit records it. Flags already in Redis are left alone: Redis is the truth once seeded.
 * Runs before the server takes requests and waits until the client serves the seeded flags, so the
 * first requests see them.
 */
@Singleton
@Requires(beans = FlagAdmin.class)
public class RedisSeeder implements ApplicationEventListener<StartupEvent> {

  static final String ACTOR = "checkout-example (seed)";
  private static final Logger LOG = LoggerFactory.getLogger(RedisSeeder.class);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FlagAdmin admin;
  private final Flags flags;
  private final String seedFile;

  RedisSeeder(
      FlagAdmin admin, Flags flags, @Value("${flags.file.path:flags.json}") String seedFile) {
    this.admin = admin;
    this.flags = flags;
    this.seedFile = seedFile;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    try {
      seed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void seed() throws InterruptedException {
    Path file = Path.of(seedFile.isBlank() ? "flags.json" : seedFile);
    String source = Files.isRegularFile(file) ? file.toString() : "the flags.json inside the jar";
    FlagSet seed =
        FlagCodec.standard().decodeFlagSet(Files.isRegularFile(file) ? read(file) : readResource());
    List<String> created =
        admin.createMissing(seed, Change.by(ACTOR).because("seeded from " + source));
    if (created.isEmpty()) {
      LOG.info("Redis already holds the example's flags; nothing seeded");
      return;
    }
    LOG.info("Seeded {} flags into Redis from {}: {}", created.size(), source, created);
    awaitServed(created);
  }

  /** Until the client has received every seeded flag through the store's invalidation messages. */
  private void awaitServed(List<String> keys) throws InterruptedException {
    CountDownLatch served = new CountDownLatch(1);
    Subscription subscription =
        flags.addListener(
            new FlagListener() {
              @Override
              public void onFlagChanged(String flagKey) {
                if (keys.stream().allMatch(k -> flags.flag(k).isPresent())) {
                  served.countDown();
                }
              }
            });
    try {
      if (!keys.stream().allMatch(k -> flags.flag(k).isPresent())
          && !served.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "The seeded flags did not reach the client within {}; they will when the store next syncs",
            WAIT);
      }
    } finally {
      subscription.close();
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the seed file " + file, e);
    }
  }

  private static byte[] readResource() {
    try (InputStream in = RedisSeeder.class.getResourceAsStream("/flags.json")) {
      if (in == null) {
        throw new IllegalStateException("no flags.json inside the jar to seed Redis from");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read flags.json from the jar", e);
    }
  }
}
