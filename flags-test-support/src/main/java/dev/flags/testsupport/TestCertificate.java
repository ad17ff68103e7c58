package dev.flags.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, made with {@code openssl}
 * in a directory of the test's, for {@link RedisServerProcess#startTls}; and a socket factory
 * trusting only it, as a client with a private CA would have. Immutable and thread-safe.
 *
 * {@snippet :
 * TestCertificate cert = TestCertificate.selfSigned(tempDir);
 * try (RedisServerProcess redis = RedisServerProcess.startTls(cert.certificate(), cert.privateKey())) {
 *   SSLSocketFactory trusting = cert.trustingSocketFactory(); // connect to redis.tlsUri() with it
 * }
 * }
 *
 * @param certificate the PEM certificate (it is its own CA)
 * @param privateKey the PEM private key, unencrypted
 */
public record TestCertificate(Path certificate, Path privateKey) {

  /**
   * Generates a new RSA key and certificate, valid for a day, into {@code dir} ({@code cert.pem},
   * {@code key.pem}).
   *
   * @throws IllegalStateException if {@code openssl} is missing (saying how to install it) or fails
   */
  public static TestCertificate selfSigned(Path dir) {
    return selfSignedFor(dir, "IP:127.0.0.1,DNS:localhost");
  }

  /**
   * Like {@link #selfSigned}, but naming only {@code subjectAltName} (openssl syntax, such as
   * {@code "DNS:redis.example"}): a certificate for another host, to prove hostname verification.
   *
   * @throws IllegalStateException if {@code openssl} is missing (saying how to install it) or fails
   */
  public static TestCertificate selfSignedFor(Path dir, String subjectAltName) {
    String openssl =
        RedisServerProcess.findOnPath(
            "openssl",
            "The TLS tests make their certificate with it:"
                + " install it with `apt-get install openssl` (Debian/Ubuntu) or `brew install openssl` (macOS).");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    List<String> cmd =
        List.of(
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=" + subjectAltName);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)
          || p.exitValue() != 0
          || !Files.exists(cert)
          || !Files.exists(key)) {
        throw new IllegalStateException("openssl could not make a test certificate: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new TestCertificate(cert, key);
  }

  /** A TLS socket factory that trusts this certificate and nothing else. */
  public SSLSocketFactory trustingSocketFactory() {
    try (InputStream in = Files.newInputStream(certificate)) {
      Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("test-redis", cert);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust store for " + certificate, e);
    }
  }
}
