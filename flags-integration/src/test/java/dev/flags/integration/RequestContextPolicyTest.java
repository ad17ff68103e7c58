package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestContextPolicyTest {

  private static final String SECRET = "a-test-secret-of-some-length";

  /** A request made of plain values. */
  record Request(
      Optional<String> principal,
      Map<String, String> headers,
      Map<String, String> cookies,
      String remoteAddress,
      boolean secure)
      implements RequestContextPolicy.RequestView {
    static Request from(String remote) {
      return new Request(Optional.empty(), Map.of(), Map.of(), remote, false);
    }

    Request header(String name, String value) {
      Map<String, String> h = new HashMap<>(headers);
      h.put(name.toLowerCase(java.util.Locale.ROOT), value);
      return new Request(principal, h, cookies, remoteAddress, secure);
    }

    Request cookie(String name, String value) {
      Map<String, String> c = new HashMap<>(cookies);
      c.put(name, value);
      return new Request(principal, headers, c, remoteAddress, secure);
    }

    Request user(String name) {
      return new Request(Optional.of(name), headers, cookies, remoteAddress, secure);
    }

    Request https() {
      return new Request(principal, headers, cookies, remoteAddress, true);
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public Optional<String> cookie(String name) {
      return Optional.ofNullable(cookies.get(name));
    }
  }

  private static RequestContextPolicy policy(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return RequestContextPolicy.of(FlagsSettings.from(SettingsSource.of(m)));
  }

  @Test
  void thePrincipalComesFirst() {
    RequestContextPolicy p = policy("flags.context.header", "X-User-Id");
    RequestContextPolicy.Resolution r =
        p.resolve(Request.from("127.0.0.1").user("alice").header("X-User-Id", "bob"));
    assertThat(r.context().key()).isEqualTo("alice");
    assertThat(r.context().anonymous()).isFalse();
    assertThat(r.setCookie()).isEmpty();
  }

  @Test
  void theHeaderIsBelievedOnlyFromTrustedAddresses() {
    RequestContextPolicy p =
        policy(
            "flags.context.header",
            "X-User-Id",
            "flags.context.trusted-proxies",
            "10.1.0.0/16,fd00::/8");
    assertThat(p.resolve(Request.from("10.1.2.3").header("X-User-Id", " bob ")).context().key())
        .isEqualTo("bob");
    assertThat(p.resolve(Request.from("fd00::7").header("X-User-Id", "bob")).context().key())
        .isEqualTo("bob");
    assertThat(
            p.resolve(Request.from("::ffff:10.1.9.9").header("X-User-Id", "bob")).context().key())
        .as("an IPv4-mapped address is its IPv4 address")
        .isEqualTo("bob");
    assertThat(p.resolve(Request.from("10.2.0.1").header("X-User-Id", "bob")).context().anonymous())
        .isTrue();
    assertThat(
            p.resolve(Request.from("127.0.0.1").header("X-User-Id", "bob")).context().anonymous())
        .isTrue();
    assertThat(
            p.resolve(Request.from("not-an-address").header("X-User-Id", "bob"))
                .context()
                .anonymous())
        .isTrue();
    assertThat(
            p.resolve(Request.from("10.1.2.3").header("X-User-Id", "x".repeat(257)))
                .context()
                .anonymous())
        .as("an overlong header is no user key")
        .isTrue();
  }

  @Test
  void loopbackIsTrustedByDefault() {
    RequestContextPolicy p = policy("flags.context.header", "X-User-Id");
    assertThat(p.resolve(Request.from("127.0.0.1").header("X-User-Id", "bob")).context().key())
        .isEqualTo("bob");
    assertThat(
            p.resolve(Request.from("0:0:0:0:0:0:0:1").header("X-User-Id", "bob")).context().key())
        .isEqualTo("bob");
    assertThat(
            p.resolve(Request.from("192.168.0.5").header("X-User-Id", "bob")).context().anonymous())
        .isTrue();
  }

  @Test
  void anonymousIdsAreSignedAndForgeriesReplaced() {
    RequestContextPolicy p = policy("flags.context.anonymous-cookie.secret", SECRET);
    RequestContextPolicy.Resolution first = p.resolve(Request.from("192.0.2.1"));
    assertThat(first.context().anonymous()).isTrue();
    String setCookie = first.setCookie().orElseThrow();
    assertThat(setCookie)
        .matches(
            "flags_visitor=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}; Max-Age=31536000; Path=/;"
                + " HttpOnly; SameSite=Lax");
    String value = setCookie.substring("flags_visitor=".length(), setCookie.indexOf(';'));
    RequestContextPolicy.Resolution back =
        p.resolve(Request.from("192.0.2.1").cookie("flags_visitor", value));
    assertThat(back.context()).isEqualTo(first.context());
    assertThat(back.setCookie()).isEmpty();
    String id = first.context().key();
    for (String forged :
        new String[] {
          "alice",
          id,
          id + ".",
          "." + value,
          value + "x",
          value.replace(id, "someone-else"),
          value + "." + value
        }) {
      RequestContextPolicy.Resolution r =
          p.resolve(Request.from("192.0.2.1").cookie("flags_visitor", forged));
      assertThat(r.setCookie()).as(forged).isPresent();
      assertThat(r.context().key()).as(forged).isNotIn("alice", "someone-else", id);
    }
  }

  @Test
  void theSameSecretRecognisesTheSameIdsAndAnotherDoesNot() {
    String value =
        cookieValue(
            policy("flags.context.anonymous-cookie.secret", SECRET).resolve(Request.from("::1")));
    RequestContextPolicy same = policy("flags.context.anonymous-cookie.secret", SECRET);
    RequestContextPolicy other = policy("flags.context.anonymous-cookie.secret", SECRET + "!");
    RequestContextPolicy random = policy();
    assertThat(same.resolve(Request.from("::1").cookie("flags_visitor", value)).setCookie())
        .isEmpty();
    assertThat(other.resolve(Request.from("::1").cookie("flags_visitor", value)).setCookie())
        .isPresent();
    assertThat(random.resolve(Request.from("::1").cookie("flags_visitor", value)).setCookie())
        .isPresent();
  }

  @Test
  void theCookieIsSecureOverHttpsAndFollowsItsSettings() {
    RequestContextPolicy p =
        policy(
            "flags.context.anonymous-cookie.name", "visitor",
            "flags.context.anonymous-cookie.max-age", "1h");
    String c = p.resolve(Request.from("192.0.2.1").https()).setCookie().orElseThrow();
    assertThat(c).startsWith("visitor=").contains("; Max-Age=3600;").endsWith("; Secure");
  }

  @Test
  void withoutTheCookieEveryoneIsTheSharedAnonymous() {
    RequestContextPolicy p = policy("flags.context.anonymous-cookie.enabled", "false");
    RequestContextPolicy.Resolution r =
        p.resolve(Request.from("192.0.2.1").cookie("flags_visitor", "x"));
    assertThat(r.context().key()).isEqualTo(RequestContextPolicy.ANONYMOUS_KEY);
    assertThat(r.context().anonymous()).isTrue();
    assertThat(r.setCookie()).isEmpty();
  }

  @Test
  void addressRangesReadLiteralsOnly() {
    assertThat(AddressRange.parse("10.0.0.0/8").contains("10.255.1.1")).isTrue();
    assertThat(AddressRange.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
    assertThat(AddressRange.parse("192.168.1.7").contains("192.168.1.7")).isTrue();
    assertThat(AddressRange.parse("192.168.1.7").contains("192.168.1.8")).isFalse();
    assertThat(AddressRange.parse("::/0").contains("2001:db8::1")).isTrue();
    assertThat(AddressRange.parse("::/0").contains("10.0.0.1")).isFalse();
    assertThat(AddressRange.parse("0.0.0.0/0").isEverything()).isTrue();
    assertThat(AddressRange.literal("localhost")).isEmpty();
    assertThat(AddressRange.literal("[::1]")).isPresent();
    assertThat(AddressRange.isLoopback("127.0.0.1")).isTrue();
    assertThat(AddressRange.isLoopback("::1")).isTrue();
    assertThat(AddressRange.isLoopback("10.0.0.1")).isFalse();
  }

  @Test
  void startUpSaysWhatAnOperatorMustKnow() {
    try (LogCapture log = LogCapture.of(RequestContextPolicy.class)) {
      policy(
          "flags.context.header", "X-User-Id", "flags.context.trusted-proxies", "0.0.0.0/0,::/0");
      assertThat(log.messages(java.util.logging.Level.WARNING))
          .singleElement()
          .asString()
          .contains("trusts every address", "any caller can pick its identity", "X-User-Id");
      assertThat(log.messages(java.util.logging.Level.INFO))
          .singleElement()
          .asString()
          .contains("random key", "flags.context.anonymous-cookie.secret");
    }
    try (LogCapture log = LogCapture.of(RequestContextPolicy.class)) {
      policy("flags.context.anonymous-cookie.secret", SECRET);
      assertThat(log.records()).isEmpty();
    }
  }

  private static String cookieValue(RequestContextPolicy.Resolution r) {
    String c = r.setCookie().orElseThrow();
    return c.substring(c.indexOf('=') + 1, c.indexOf(';'));
  }
}
