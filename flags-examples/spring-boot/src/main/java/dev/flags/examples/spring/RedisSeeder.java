package dev.flags.examples.spring;

import dev.flags.core.FlagListener;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.Subscription;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * With {@code flags.store=redis}: writes the example's flags into Redis when they are not there yet
 * (the first run against a fresh Redis), through {@code RedisFlagAdmin} so the audit records it.
 * Flags already in Redis are left alone: Redis is the truth once seeded. Waits until the client
 * serves the seeded flags, so the first requests see them.
 */
@Component
@ConditionalOnProperty(name = "flags.store", havingValue = "redis")
class RedisSeeder implements ApplicationRunner {

  static final String ACTOR = "checkout-example (seed)";
  private static final Logger LOG = LoggerFactory.getLogger(RedisSeeder.class);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FlagAdmin admin;
  private final Flags flags;
  private final String seedFile;

  RedisSeeder(
      FlagAdmin admin,
      Flags flags,
      @Value("${checkout.seed-file:${flags.file.path:}}") String seedFile) {
    this.admin = admin;
    this.flags = flags;
    this.seedFile = seedFile;
  }

  @Override
  public void run(ApplicationArguments args) throws InterruptedException {
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
