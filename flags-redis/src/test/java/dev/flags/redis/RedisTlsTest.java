package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import dev.flags.testsupport.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rediss:// against a real redis-server with a self-signed certificate. */
class RedisTlsTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void theStoreAndTheAdminConnectOverTlsTrustingAPrivateCertificate(@TempDir Path dir) {
    TestCertificate cert = TestCertificate.selfSigned(dir);
    try (RedisServerProcess redis =
        RedisServerProcess.startTls(cert.certificate(), cert.privateKey())) {
      RedisConnectionSettings tls =
          RedisConnectionSettings.standalone(redis.tlsUri())
              .withSslSocketFactory(cert.trustingSocketFactory());
      assertThat(tls.ssl()).isTrue();
      try (FlagAdmin admin = RedisFlagAdmin.builder(tls).build();
          Flags flags = Flags.builder().store(RedisFlagStore.builder(tls).build()).build()) {
        admin.create(Flag.simple("alpha", false), Change.by("alice"));
        await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);

        admin.setOn("alpha", true, Change.by("alice").because("over TLS"));

        // The subscriber's dedicated connection is TLS too: the change arrives by pub/sub.
        await().atMost(WAIT).until(() -> flags.isEnabled("alpha", USER));
      }
    }
  }

  @Test
  void withoutTrustingTheCertificateTheStoreNeverConnects(@TempDir Path dir) {
    TestCertificate cert = TestCertificate.selfSigned(dir);
    try (RedisServerProcess redis =
        RedisServerProcess.startTls(cert.certificate(), cert.privateKey())) {
      // The JVM's default trust store does not know a self-signed certificate: the handshake fails.
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.tlsUri())).build();
      try (Flags flags = Flags.builder().store(store).build()) {
        await()
            .atMost(WAIT)
            .during(Duration.ofSeconds(1))
            .until(() -> store.status() == StoreStatus.UNAVAILABLE);
        assertThat(flags.isEnabled("alpha", USER)).isFalse();
      }
    }
  }

  @Test
  void withHostnameVerificationACertificateNamingTheHostIsAccepted(@TempDir Path dir) {
    TestCertificate cert = TestCertificate.selfSigned(dir);
    try (RedisServerProcess redis =
        RedisServerProcess.startTls(cert.certificate(), cert.privateKey())) {
      RedisConnectionSettings tls =
          RedisConnectionSettings.standalone(redis.tlsUri())
              .withSslSocketFactory(cert.trustingSocketFactory())
              .withVerifyHostname(true);
      try (Flags flags = Flags.builder().store(RedisFlagStore.builder(tls).build()).build()) {
        await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
      }
    }
  }

  @Test
  void withHostnameVerificationATrustedCertificateForAnotherHostIsRefused(@TempDir Path dir) {
    TestCertificate cert = TestCertificate.selfSignedFor(dir, "DNS:redis.example");
    try (RedisServerProcess redis =
        RedisServerProcess.startTls(cert.certificate(), cert.privateKey())) {
      RedisConnectionSettings trusting =
          RedisConnectionSettings.standalone(redis.tlsUri())
              .withSslSocketFactory(cert.trustingSocketFactory());
      // Without verification the trusted certificate is enough, whatever host it names.
      try (Flags flags = Flags.builder().store(RedisFlagStore.builder(trusting).build()).build()) {
        await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
      }
      RedisFlagStore verifying = RedisFlagStore.builder(trusting.withVerifyHostname(true)).build();
      try (Flags flags = Flags.builder().store(verifying).build()) {
        await()
            .atMost(WAIT)
            .during(Duration.ofSeconds(1))
            .until(() -> flags.status() == StoreStatus.UNAVAILABLE);
        assertThat(flags.isEnabled("alpha", USER)).isFalse();
      }
    }
  }
}
