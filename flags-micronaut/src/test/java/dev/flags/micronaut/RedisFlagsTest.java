package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.integration.FlagsRuntime;
import dev.flags.micrometer.FlagMetrics;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.redis.RedisFlagStore;
import dev.flags.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * Against a real redis-server: a change in Redis, through the admin API or a raw {@code SET},
 * changes what a running controller answers. One server for the class ({@code @MicronautTest},
 * configured by {@link TestPropertyProvider} with the redis-server's port); the test of the store
 * inferred from the URL alone starts its own, because it needs a configuration without {@code
 * flags.store}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Property(name = "spec.name", value = RedisFlagsTest.SPEC)
class RedisFlagsTest implements TestPropertyProvider {

  static final String SPEC = "RedisFlagsTest";

  @Controller("/checkout")
  @Requires(property = "spec.name", value = SPEC)
  static class CheckoutController {
    @Get
    @FlagGuarded(value = "new_checkout_flow", fallback = "legacy")
    String checkout() {
      return "new checkout";
    }

    @io.micronaut.context.annotation.Executable
    String legacy() {
      return "legacy checkout";
    }
  }

  @Singleton
  @Requires(property = "spec.name", value = SPEC)
  @RequiresFlag("redis_at_startup")
  static class StartedFromRedis {}

  // Stopped by its shutdown hook at the end of the run: the application context, closed after the
  // class's own @AfterAll methods, must not see it go away first.
  private final RedisServerProcess redis = RedisServerProcess.start();
  private final FlagAdmin admin = seed(redis);

  @Inject
  @Client("/")
  HttpClient client;

  @Inject Flags flags;

  @Inject FlagsRuntime runtime;

  @Inject ApplicationContext context;

  /** The flags the controller and the start-up condition read, there before the context starts. */
  private static FlagAdmin seed(RedisServerProcess redis) {
    FlagAdmin admin =
        RedisFlagAdmin.builder(dev.flags.redis.RedisConnectionSettings.standalone(redis.uri()))
            .build();
    admin.create(Flag.simple("new_checkout_flow", true), Change.by("test").because("set-up"));
    admin.create(Flag.simple("redis_at_startup", true), Change.by("test").because("set-up"));
    return admin;
  }

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "flags.store", "redis",
        "flags.redis.url", redis.uri(),
        "flags.redis.keyspace-notifications", "true",
        "flags.redis.sync-interval", "1s",
        // The admin API without security, for loopback callers as local-developer (the parity
        // kit tests it with micronaut-security).
        "flags.admin.enabled", "true",
        "flags.admin.write-enabled", "true",
        "flags.admin.insecure-local-development", "true");
  }

  @BeforeEach
  void storeLoaded() {
    await().atMost(Duration.ofSeconds(20)).until(() -> flags.status() == StoreStatus.OK);
  }

  @AfterAll
  void closeAdmin() {
    admin.close();
  }

  private String checkout() {
    try {
      return client.toBlocking().retrieve(HttpRequest.GET("/checkout"));
    } catch (HttpClientResponseException e) {
      return "HTTP " + e.code();
    }
  }

  @Test
  void usesTheRedisStore() {
    assertThat(runtime.store()).isInstanceOf(RedisFlagStore.class);
  }

  @Test
  void theRedisStoresOwnMetersAreBound() {
    // Bound by FlagsMetricsFactory through flags-core's MeasuredStore: it never names Redis.
    MeterRegistry registry = context.getBean(MeterRegistry.class);
    assertThat(registry.get(RedisFlagStore.METER_RECONNECTS).functionCounter().count()).isZero();
    assertThat(
            registry
                .get(FlagMetrics.STORE_STATUS)
                .tag("source", "redis")
                .tag("status", "OK")
                .gauge()
                .value())
        .isEqualTo(1.0);
  }

  @Test
  void aStartUpConditionReadsRedis() {
    assertThat(context.containsBean(StartedFromRedis.class)).isTrue();
  }

  @Test
  void anAdminChangeReachesTheRunningController() {
    admin.setOn("new_checkout_flow", true, Change.by("test").because("on"));
    await().atMost(Duration.ofSeconds(10)).until(() -> checkout().equals("new checkout"));
    admin.setOn("new_checkout_flow", false, Change.by("test").because("incident 42"));
    await().atMost(Duration.ofSeconds(10)).until(() -> checkout().equals("legacy checkout"));
    admin.setOn("new_checkout_flow", true, Change.by("test").because("fixed"));
    await().atMost(Duration.ofSeconds(10)).until(() -> checkout().equals("new checkout"));
  }

  @Test
  void aRawSetReachesTheRunningController() {
    admin.setOn("new_checkout_flow", true, Change.by("test").because("on"));
    await().atMost(Duration.ofSeconds(10)).until(() -> checkout().equals("new checkout"));
    try (Jedis jedis = redis.jedis()) {
      jedis.set("feature:new_checkout_flow", "false");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> checkout().equals("legacy checkout"));
    try (Jedis jedis = redis.jedis()) {
      jedis.set("feature:new_checkout_flow", "true");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> checkout().equals("new checkout"));
  }

  @Test
  void theAdminApiWritesToRedisWithAnAuditEntry() {
    admin.setOn("new_checkout_flow", true, Change.by("test").because("on"));
    await().atMost(Duration.ofSeconds(10)).until(() -> checkout().equals("new checkout"));
    java.time.Instant before = java.time.Instant.now().minusSeconds(1);
    client
        .toBlocking()
        .exchange(
            HttpRequest.POST("/flags/api/flags/new_checkout_flow/off", "{\"reason\": \"rollback\"}")
                .contentType("application/json"));
    assertThat(admin.get("new_checkout_flow").orElseThrow().flag().on()).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> checkout().equals("legacy checkout"));
    assertThat(
            admin.audit(
                dev.flags.core.admin.AuditQuery.builder()
                    .flag("new_checkout_flow")
                    .from(before)
                    .build()))
        .anySatisfy(
            entry -> {
              assertThat(entry.actor()).isEqualTo("local-developer");
              assertThat(entry.reason()).isEqualTo("rollback");
            });
  }

  /** Regression: the Redis store inferred from the URL alone had no admin, so writes failed. */
  @Test
  void theAdminApiWritesToRedisWhenOnlyTheRedisUrlIsSet() {
    admin.create(Flag.simple("inferred_store", true), Change.by("test").because("set-up"));
    EmbeddedServer inferred =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of(
                "flags.redis.url", redis.uri(),
                "flags.admin.enabled", "true",
                "flags.admin.write-enabled", "true",
                "flags.admin.insecure-local-development", "true"));
    try (HttpClient http =
        inferred.getApplicationContext().createBean(HttpClient.class, inferred.getURL())) {
      assertThat(inferred.getApplicationContext().getBean(FlagsRuntime.class).store())
          .isInstanceOf(RedisFlagStore.class);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  inferred
                      .getApplicationContext()
                      .getBean(Flags.class)
                      .flag("inferred_store")
                      .isPresent());

      var response =
          http.toBlocking()
              .exchange(
                  HttpRequest.POST("/flags/api/flags/inferred_store/off", "{}")
                      .contentType("application/json"),
                  String.class);

      assertThat(response.code()).isEqualTo(200);
      assertThat(admin.get("inferred_store").orElseThrow().flag().on()).isFalse();
    } finally {
      inferred.getApplicationContext().close();
    }
  }
}
