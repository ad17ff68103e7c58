package dev.flags.server.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenID Connect provider small enough to read, for tests: discovery, a JWKS with one RSA key,
 * an authorization endpoint that shows a sign-in form (pick a known user, no password), the
 * authorization-code token endpoint (client_secret_basic) answering an RS256-signed ID token with
 * the nonce, and user info. Everything a real provider checks that a client relies on is checked
 * here too (client, secret, redirect URI, one-time code, PKCE with S256 — required, as providers
 * can be told to — and the bearer token); the rest (consent, refresh tokens) is left out. {@link
 * #expiredIdTokens} makes it sign ID tokens that expired five minutes ago, as a provider whose
 * clock is off, or a replayed token, would. On 127.0.0.1, a free port; thread-safe.
 */
final class TinyOidcProvider implements AutoCloseable {

  /** A person the provider knows: the subject, a readable name and the {@code groups} claim. */
  record Person(String subject, String name, List<String> groups) {}

  private record Grant(Person person, String redirectUri, String nonce, String codeChallenge) {}

  private final HttpServer http;
  private final String clientId;
  private final String clientSecret;
  private final Map<String, Person> people = new LinkedHashMap<>();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Person> accessTokens = new ConcurrentHashMap<>();
  private final KeyPair key;
  private final String keyId = "k-" + UUID.randomUUID();

  /** Requests the token endpoint answered, for tests that check the client used it. */
  final List<String> tokenRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** When set, ID tokens are signed as valid but expired five minutes ago. */
  volatile boolean expiredIdTokens;

  private TinyOidcProvider(String clientId, String clientSecret, List<Person> people)
      throws IOException, GeneralSecurityException {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    people.forEach(p -> this.people.put(p.subject(), p));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    this.key = generator.generateKeyPair();
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/.well-known/openid-configuration", this::discovery);
    http.createContext("/jwks", this::jwks);
    http.createContext("/authorize", this::authorize);
    http.createContext("/approve", this::approve);
    http.createContext("/token", this::token);
    http.createContext("/userinfo", this::userInfo);
    http.start();
  }

  static TinyOidcProvider start(String clientId, String clientSecret, List<Person> people)
      throws IOException, GeneralSecurityException {
    return new TinyOidcProvider(clientId, clientSecret, people);
  }

  /** The issuer, {@code http://127.0.0.1:port}: also the base of every endpoint. */
  String issuer() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
  }

  // ---------------------------------------------------------------- endpoints

  private void discovery(HttpExchange x) throws IOException {
    String i = issuer();
    json(
        x,
        200,
        "{\"issuer\": \""
            + i
            + "\", \"authorization_endpoint\": \""
            + i
            + "/authorize\", \"token_endpoint\": \""
            + i
            + "/token\", \"userinfo_endpoint\": \""
            + i
            + "/userinfo\", \"jwks_uri\": \""
            + i
            + "/jwks\", \"response_types_supported\": [\"code\"],"
            + " \"subject_types_supported\": [\"public\"],"
            + " \"id_token_signing_alg_values_supported\": [\"RS256\"],"
            + " \"scopes_supported\": [\"openid\", \"profile\", \"groups\"],"
            + " \"token_endpoint_auth_methods_supported\": [\"client_secret_basic\"],"
            + " \"grant_types_supported\": [\"authorization_code\"],"
            + " \"code_challenge_methods_supported\": [\"S256\"]}");
  }

  private void jwks(HttpExchange x) throws IOException {
    RSAPublicKey pub = (RSAPublicKey) key.getPublic();
    json(
        x,
        200,
        "{\"keys\": [{\"kty\": \"RSA\", \"use\": \"sig\", \"alg\": \"RS256\", \"kid\": \""
            + keyId
            + "\", \"n\": \""
            + b64(unsigned(pub.getModulus()))
            + "\", \"e\": \""
            + b64(unsigned(pub.getPublicExponent()))
            + "\"}]}");
  }

  /** The sign-in page: one button per person, carrying the request on. */
  private void authorize(HttpExchange x) throws IOException {
    Map<String, String> q = form(x.getRequestURI().getRawQuery());
    if (!clientId.equals(q.get("client_id"))
        || !"code".equals(q.get("response_type"))
        || q.get("redirect_uri") == null) {
      text(x, 400, "invalid_request");
      return;
    }
    if (q.get("code_challenge") == null || !"S256".equals(q.get("code_challenge_method"))) {
      text(x, 400, "invalid_request: this provider requires PKCE with S256");
      return;
    }
    StringBuilder page =
        new StringBuilder(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Tiny OIDC: sign in</title></head><body><main><h1>Sign in</h1>"
                + "<form method=\"post\" action=\"/approve\">");
    for (String field : List.of("redirect_uri", "state", "nonce", "code_challenge")) {
      page.append("<input type=\"hidden\" name=\"")
          .append(field)
          .append("\" value=\"")
          .append(escape(q.getOrDefault(field, "")))
          .append("\">");
    }
    for (Person p : people.values()) {
      page.append("<p><button type=\"submit\" name=\"subject\" id=\"as-")
          .append(escape(p.subject()))
          .append("\" value=\"")
          .append(escape(p.subject()))
          .append("\">Sign in as ")
          .append(escape(p.name()))
          .append("</button></p>");
    }
    page.append("</form></main></body></html>");
    byte[] body = page.toString().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    x.sendResponseHeaders(200, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  private void approve(HttpExchange x) throws IOException {
    Map<String, String> f =
        form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Person p = people.get(f.get("subject"));
    if (p == null || !"POST".equals(x.getRequestMethod())) {
      text(x, 400, "unknown person");
      return;
    }
    String code = UUID.randomUUID().toString();
    codes.put(code, new Grant(p, f.get("redirect_uri"), f.get("nonce"), f.get("code_challenge")));
    String location =
        f.get("redirect_uri")
            + (f.get("redirect_uri").contains("?") ? "&" : "?")
            + "code="
            + enc(code)
            + "&state="
            + enc(f.getOrDefault("state", ""));
    x.getResponseHeaders().set("Location", location);
    x.sendResponseHeaders(302, -1);
    x.close();
  }

  private void token(HttpExchange x) throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
    Map<String, String> f =
        form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    tokenRequests.add(f.toString());
    if (!expected.equals(x.getRequestHeaders().getFirst("Authorization"))) {
      json(x, 401, "{\"error\": \"invalid_client\"}");
      return;
    }
    Grant g = f.get("code") == null ? null : codes.remove(f.get("code"));
    if (!"authorization_code".equals(f.get("grant_type"))
        || g == null
        || !g.redirectUri().equals(f.get("redirect_uri"))
        || !verifies(f.get("code_verifier"), g.codeChallenge())) {
      json(x, 400, "{\"error\": \"invalid_grant\"}");
      return;
    }
    String accessToken = UUID.randomUUID().toString();
    accessTokens.put(accessToken, g.person());
    long now = Instant.now().getEpochSecond() - (expiredIdTokens ? 600 : 0);
    String idToken;
    try {
      idToken =
          signed(
              "{\"iss\": \""
                  + issuer()
                  + "\", \"sub\": \""
                  + g.person().subject()
                  + "\", \"aud\": \""
                  + clientId
                  + "\", \"iat\": "
                  + now
                  + ", \"exp\": "
                  + (now + 300)
                  + (g.nonce() == null || g.nonce().isEmpty()
                      ? ""
                      : ", \"nonce\": \"" + g.nonce() + "\"")
                  + ", \"preferred_username\": \""
                  + g.person().name()
                  + "\", \"groups\": "
                  + groups(g.person())
                  + "}");
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
    json(
        x,
        200,
        "{\"access_token\": \""
            + accessToken
            + "\", \"token_type\": \"Bearer\", \"expires_in\": 300,"
            + " \"scope\": \"openid profile groups\", \"id_token\": \""
            + idToken
            + "\"}");
  }

  private void userInfo(HttpExchange x) throws IOException {
    String auth = x.getRequestHeaders().getFirst("Authorization");
    Person p =
        auth != null && auth.startsWith("Bearer ")
            ? accessTokens.get(auth.substring("Bearer ".length()))
            : null;
    if (p == null) {
      json(x, 401, "{\"error\": \"invalid_token\"}");
      return;
    }
    json(
        x,
        200,
        "{\"sub\": \""
            + p.subject()
            + "\", \"preferred_username\": \""
            + p.name()
            + "\", \"groups\": "
            + groups(p)
            + "}");
  }

  // ---------------------------------------------------------------- helpers

  /** PKCE's S256 check (RFC 7636): base64url(SHA-256(verifier)) is the challenge. */
  private static boolean verifies(String verifier, String challenge) {
    if (verifier == null || challenge == null) {
      return false;
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return b64(digest).equals(challenge);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String signed(String claims) throws GeneralSecurityException {
    String header = "{\"alg\": \"RS256\", \"typ\": \"JWT\", \"kid\": \"" + keyId + "\"}";
    String input =
        b64(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64(claims.getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key.getPrivate());
    rsa.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(rsa.sign());
  }

  private static String groups(Person p) {
    List<String> quoted = new ArrayList<>();
    p.groups().forEach(g -> quoted.add("\"" + g + "\""));
    return "[" + String.join(", ", quoted) + "]";
  }

  /** A big-endian magnitude without the sign byte BigInteger adds, as JWK wants it. */
  private static byte[] unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static void json(HttpExchange x, int status, String body) throws IOException {
    send(x, status, "application/json", body);
  }

  private static void text(HttpExchange x, int status, String body) throws IOException {
    send(x, status, "text/plain; charset=utf-8", body);
  }

  private static void send(HttpExchange x, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  /** For a test's message: the provider's base. */
  @Override
  public String toString() {
    return "TinyOidcProvider at " + URI.create(issuer());
  }
}
