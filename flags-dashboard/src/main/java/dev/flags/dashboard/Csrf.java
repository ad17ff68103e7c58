package dev.flags.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's CSRF tokens: HMAC-SHA256 of the user's name under a secret, so a form is accepted
 * only from a page this dashboard rendered for that user (another site cannot compute it).
 * Stateless, so any instance sharing the secret accepts it. Thread-safe.
 */
final class Csrf {

  private static final String PURPOSE = "flags-dashboard-csrf-v1\u0000";

  private final SecretKeySpec key;

  Csrf(Optional<String> secret) {
    byte[] bytes;
    if (secret.isPresent()) {
      bytes = secret.get().getBytes(StandardCharsets.UTF_8);
    } else {
      bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
    }
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  String token(String user) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] sig = mac.doFinal((PURPOSE + user).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  boolean valid(String user, String token) {
    return MessageDigest.isEqual(
        token(user).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
  }
}
