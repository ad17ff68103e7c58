package dev.flags.integration;

import dev.flags.core.EvaluationContext;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who a web request is evaluated for, the same in every framework. The first that applies:
 *
 * <ol>
 *   <li>the authenticated principal's name (the framework's security says who);
 *   <li>the header {@code flags.context.header}, only when the request comes from an address of
 *       {@code flags.context.trusted-proxies} (loopback by default): anyone else could name any
 *       user in it;
 *   <li>an anonymous visitor with a random id kept in a signed cookie ({@code
 *       flags.context.anonymous-cookie.*}): {@code <id>.<HMAC-SHA256(secret, id), base64url>}. A
 *       cookie whose signature does not verify (forged, or signed by another secret) is replaced by
 *       a new id, so nobody can choose their bucket by writing the cookie;
 *   <li>with the cookie off, the shared key {@value #ANONYMOUS_KEY}, anonymous.
 * </ol>
 *
 * Anonymous contexts never match individual targets or segment inclusions (flags-core makes sure),
 * so a cookie cannot impersonate a targeted user either.
 *
 * <p>Without {@code flags.context.anonymous-cookie.secret}, each process signs with its own random
 * key (logged at INFO): ids are then not recognised across instances or restarts. Trusting every
 * address for the header is logged as a WARN, since any caller can then pick its identity.
 *
 * <p>Immutable and thread-safe. Create one per application, at start-up.
 */
public final class RequestContextPolicy {

  /** The key of every anonymous visitor when the cookie is off. */
  public static final String ANONYMOUS_KEY = "anonymous";

  /** The longest header value taken as a user key; a longer one is ignored. */
  public static final int MAX_HEADER_KEY_LENGTH = 256;

  private static final System.Logger LOG = System.getLogger(RequestContextPolicy.class.getName());
  private static final String HMAC = "HmacSHA256";
  private static final int ID_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final EvaluationContext SHARED_ANONYMOUS =
      EvaluationContext.builder(ANONYMOUS_KEY).anonymous(true).build();

  private final Optional<String> header;
  private final List<AddressRange> trusted;
  private final FlagsSettings.AnonymousCookie cookie;
  private final SecretKeySpec key;

  private RequestContextPolicy(FlagsSettings.Context settings, byte[] secret) {
    this.header = settings.header();
    List<AddressRange> ranges = new ArrayList<>();
    settings.trustedProxies().forEach(p -> ranges.add(AddressRange.parse(p)));
    this.trusted = List.copyOf(ranges);
    this.cookie = settings.anonymousCookie();
    this.key = new SecretKeySpec(secret, HMAC);
  }

  /**
   * The policy of these settings. Logs at start-up what an operator must know: a random signing key
   * (INFO), a header believed from every address (WARN).
   */
  public static RequestContextPolicy of(FlagsSettings settings) {
    FlagsSettings.Context context = Objects.requireNonNull(settings, "settings").context();
    byte[] secret;
    if (context.anonymousCookie().secret().isPresent()) {
      secret = context.anonymousCookie().secret().get().getBytes(StandardCharsets.UTF_8);
    } else {
      secret = new byte[32];
      RANDOM.nextBytes(secret);
      if (context.anonymousCookie().enabled()) {
        LOG.log(
            Level.INFO,
            "flags: anonymous visitor ids are signed with a random key of this process, so they"
                + " will not be recognised by other instances or after a restart; set "
                + Setting.COOKIE_SECRET.key()
                + " to one shared secret for a fleet");
      }
    }
    RequestContextPolicy policy = new RequestContextPolicy(context, secret);
    if (context.header().isPresent()
        && policy.trusted.stream().anyMatch(AddressRange::isEverything)) {
      LOG.log(
          Level.WARNING,
          "flags: "
              + Setting.CONTEXT_TRUSTED_PROXIES.key()
              + " trusts every address, so any caller can pick its identity with the header "
              + context.header().get()
              + "; list only your proxies' addresses");
    }
    return policy;
  }

  /**
   * The context of a request, and the cookie to set when a new anonymous id was made.
   *
   * @param request the framework's request, seen through {@link RequestView}
   */
  public Resolution resolve(RequestView request) {
    Objects.requireNonNull(request, "request");
    Optional<String> principal = request.principal().map(String::strip).filter(p -> !p.isEmpty());
    if (principal.isPresent()) {
      return new Resolution(EvaluationContext.of(principal.get()), Optional.empty());
    }
    if (header.isPresent() && trusted(request.remoteAddress())) {
      Optional<String> value =
          request
              .header(header.get())
              .map(String::strip)
              .filter(v -> !v.isEmpty() && v.length() <= MAX_HEADER_KEY_LENGTH);
      if (value.isPresent()) {
        return new Resolution(EvaluationContext.of(value.get()), Optional.empty());
      }
    }
    if (!cookie.enabled()) {
      return new Resolution(SHARED_ANONYMOUS, Optional.empty());
    }
    Optional<String> known = request.cookie(cookie.name()).flatMap(this::verified);
    if (known.isPresent()) {
      return new Resolution(anonymous(known.get()), Optional.empty());
    }
    String id = newId();
    return new Resolution(anonymous(id), Optional.of(setCookie(id, request.secure())));
  }

  private boolean trusted(String remoteAddress) {
    if (remoteAddress == null) {
      return false;
    }
    Optional<byte[]> address = AddressRange.literal(remoteAddress);
    return address.isPresent() && trusted.stream().anyMatch(r -> r.contains(address.get()));
  }

  /** The id of a cookie value whose signature verifies; empty for anything else. */
  private Optional<String> verified(String value) {
    int dot = value.indexOf('.');
    if (dot <= 0 || dot != value.lastIndexOf('.') || value.length() > 200) {
      return Optional.empty();
    }
    String id = value.substring(0, dot);
    byte[] given = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    byte[] expected = sign(id).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, expected) ? Optional.of(id) : Optional.empty();
  }

  private String sign(String id) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is in every Java runtime (a required algorithm).
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String newId() {
    byte[] id = new byte[ID_BYTES];
    RANDOM.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  private String setCookie(String id, boolean secure) {
    return cookie.name()
        + "="
        + id
        + "."
        + sign(id)
        + "; Max-Age="
        + cookie.maxAge().toSeconds()
        + "; Path=/; HttpOnly; SameSite=Lax"
        + (secure ? "; Secure" : "");
  }

  private static EvaluationContext anonymous(String id) {
    return EvaluationContext.builder(id).anonymous(true).build();
  }

  /**
   * The parts of a request the policy reads, so each framework can show its own request.
   * Implementations answer from the request they wrap; they are used on the request's thread.
   */
  public interface RequestView {

    /** The authenticated principal's name; empty without an authenticated caller. */
    Optional<String> principal();

    /** A request header's first value, by name (any case). */
    Optional<String> header(String name);

    /** A cookie's value, by name. */
    Optional<String> cookie(String name);

    /** The remote address the connection came from, as an IP literal. */
    String remoteAddress();

    /** Whether the request came over HTTPS. */
    boolean secure();
  }

  /**
   * What {@link #resolve} decided. Immutable and thread-safe.
   *
   * @param context who the request is evaluated for
   * @param setCookie the whole {@code Set-Cookie} header value to send when a new anonymous id was
   *     made; empty otherwise
   */
  public record Resolution(EvaluationContext context, Optional<String> setCookie) {
    public Resolution {
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(setCookie, "setCookie");
    }
  }
}
