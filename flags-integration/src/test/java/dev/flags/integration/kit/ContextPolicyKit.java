package dev.flags.integration.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.JsonValue;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who a request is evaluated for (RequestContextPolicy), through the framework's own request
 * handling: the principal, a header believed only from trusted addresses, a signed anonymous cookie
 * that cannot be forged.
 */
public abstract class ContextPolicyKit extends KitBase {

  private static final String SECRET = "kit-shared-secret-0123456789";

  private static KitResponse probe(KitApplication app, KitUser user, String... headers) {
    KitResponse r = Kit.send(app, user, "GET", app.contextProbe(), null, headers);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r;
  }

  private static Optional<String> newCookie(KitResponse r) {
    return r.headers("Set-Cookie").stream().filter(c -> c.startsWith("flags_visitor=")).findFirst();
  }

  /** The cookie's {@code name=value}, as a browser sends it back. */
  private static String pair(String setCookie) {
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void aNewVisitorGetsASignedCookie() throws Exception {
    KitApplication app = startForTest(Map.of());
    KitResponse r = probe(app, KitUser.NONE);
    assertThat(r.at("anonymous")).isEqualTo(JsonValue.TRUE);
    String cookie = newCookie(r).orElseThrow(() -> new AssertionError("no cookie in " + r));
    String value = pair(cookie).substring("flags_visitor=".length());
    assertThat(value).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
    assertThat(value).startsWith(r.text("key") + ".");
    assertThat(cookie)
        .contains("; Max-Age=31536000")
        .contains("; Path=/")
        .contains("; HttpOnly")
        .contains("; SameSite=Lax")
        .doesNotContain("Secure");
    KitResponse again = probe(app, KitUser.NONE, "Cookie", pair(cookie));
    assertThat(again.text("key")).isEqualTo(r.text("key"));
    assertThat(again.at("anonymous")).isEqualTo(JsonValue.TRUE);
    assertThat(newCookie(again)).isEmpty();
  }

  @Test
  void aForgedOrUnsignedCookieIsReplaced() throws Exception {
    KitApplication app = startForTest(Map.of());
    String id = Kit.text(probe(app, KitUser.NONE).at("key"));
    KitResponse forged =
        probe(
            app,
            KitUser.NONE,
            "Cookie",
            "flags_visitor=" + id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assertThat(forged.text("key")).isNotEqualTo(id);
    assertThat(newCookie(forged)).isPresent();
    KitResponse chosen = probe(app, KitUser.NONE, "Cookie", "flags_visitor=alice");
    assertThat(chosen.text("key")).isNotEqualTo("alice");
    assertThat(newCookie(chosen)).isPresent();
    KitResponse uuid =
        probe(app, KitUser.NONE, "Cookie", "flags_visitor=123e4567-e89b-12d3-a456-426614174000");
    assertThat(uuid.text("key")).isNotEqualTo("123e4567-e89b-12d3-a456-426614174000");
  }

  @Test
  void oneSecretIsRecognisedAcrossInstancesAndAnotherIsNot() throws Exception {
    KitApplication first = startForTest(Map.of("flags.context.anonymous-cookie.secret", SECRET));
    KitApplication second = startForTest(Map.of("flags.context.anonymous-cookie.secret", SECRET));
    KitApplication other =
        startForTest(Map.of("flags.context.anonymous-cookie.secret", SECRET + "-other"));
    KitResponse r = probe(first, KitUser.NONE);
    String cookie = pair(newCookie(r).orElseThrow());
    assertThat(probe(second, KitUser.NONE, "Cookie", cookie).text("key")).isEqualTo(r.text("key"));
    assertThat(probe(other, KitUser.NONE, "Cookie", cookie).text("key"))
        .isNotEqualTo(r.text("key"));
  }

  @Test
  void theHeaderIsBelievedFromATrustedAddress() throws Exception {
    KitApplication app = startForTest(Map.of("flags.context.header", "X-User-Id"));
    KitResponse r = probe(app, KitUser.NONE, "X-User-Id", "user-42");
    assertThat(r.text("key")).isEqualTo("user-42");
    assertThat(r.at("anonymous")).isEqualTo(JsonValue.FALSE);
    assertThat(newCookie(r)).isEmpty();
  }

  @Test
  void theHeaderIsIgnoredFromAnUntrustedAddress() throws Exception {
    KitApplication app =
        startForTest(
            Map.of(
                "flags.context.header", "X-User-Id",
                "flags.context.trusted-proxies", "10.0.0.0/8"));
    KitResponse r = probe(app, KitUser.NONE, "X-User-Id", "user-42");
    assertThat(r.text("key")).isNotEqualTo("user-42");
    assertThat(r.at("anonymous")).isEqualTo(JsonValue.TRUE);
  }

  @Test
  void noHeaderIsReadUnlessOneIsNamed() throws Exception {
    KitApplication app = startForTest(Map.of());
    KitResponse r = probe(app, KitUser.NONE, "X-User-Id", "user-42");
    assertThat(r.at("anonymous")).isEqualTo(JsonValue.TRUE);
  }

  @Test
  void theAuthenticatedPrincipalComesFirst() throws Exception {
    KitApplication app = startForTest(Map.of("flags.context.header", "X-User-Id"));
    KitResponse r = probe(app, KitUser.VIEWER, "X-User-Id", "user-42");
    assertThat(r.text("key")).isEqualTo(KitUser.VIEWER.username());
    assertThat(r.at("anonymous")).isEqualTo(JsonValue.FALSE);
  }

  @Test
  void withoutTheCookieEveryVisitorIsTheSharedAnonymous() throws Exception {
    KitApplication app = startForTest(Map.of("flags.context.anonymous-cookie.enabled", "false"));
    KitResponse r = probe(app, KitUser.NONE);
    assertThat(r.text("key")).isEqualTo("anonymous");
    assertThat(r.at("anonymous")).isEqualTo(JsonValue.TRUE);
    assertThat(newCookie(r)).isEmpty();
  }

  @Test
  void theCookieTakesItsNameAndLifetimeFromTheSettings() throws Exception {
    KitApplication app =
        startForTest(
            Map.of(
                "flags.context.anonymous-cookie.name", "kit_id",
                "flags.context.anonymous-cookie.max-age", "2h"));
    KitResponse r = probe(app, KitUser.NONE);
    String cookie =
        r.headers("Set-Cookie").stream()
            .filter(c -> c.startsWith("kit_id="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no kit_id cookie in " + r));
    assertThat(cookie).contains("; Max-Age=7200");
  }
}
