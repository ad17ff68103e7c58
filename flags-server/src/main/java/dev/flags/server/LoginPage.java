package dev.flags.server;

import dev.flags.integration.FlagsSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The sign-in page, in the dashboard's style sheet: the user form (when users are configured), one
 * link per OpenID Connect provider, and, with neither, how to create a user — the server then lets
 * nobody in. The root path leads to the dashboard.
 */
@Controller
class LoginPage {

  private final FlagsSettings settings;
  private final ServerUsers users;
  private final List<ClientRegistration> providers = new ArrayList<>();

  LoginPage(
      FlagsSettings settings,
      ServerUsers users,
      ObjectProvider<ClientRegistrationRepository> oidc) {
    this.settings = settings;
    this.users = users;
    if (oidc.getIfAvailable() instanceof Iterable<?> registrations) {
      for (Object r : registrations) {
        providers.add((ClientRegistration) r);
      }
    }
  }

  @GetMapping("/")
  ResponseEntity<Void> root() {
    return ResponseEntity.status(302).header("Location", settings.dashboard().path() + "/").build();
  }

  @GetMapping(value = ServerSecurity.LOGIN, produces = MediaType.TEXT_HTML_VALUE)
  @ResponseBody
  ResponseEntity<String> login(HttpServletRequest request) {
    StringBuilder page = new StringBuilder(2048);
    String environment = settings.dashboard().environment().orElse("");
    page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Sign in · Flags</title>")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<link rel=\"stylesheet\" href=\"")
        .append(settings.dashboard().path())
        .append("/assets/dashboard.css\"></head><body>")
        .append("<header class=\"top\"><p class=\"brand\">Flags")
        .append(environment.isEmpty() ? "" : " · " + escape(environment))
        .append("</p></header><main id=\"main\"><h1>Sign in</h1>");
    if (request.getParameter("error") != null) {
      page.append("<p class=\"notice error\" role=\"alert\">")
          .append(escape(failure(request)))
          .append("</p>");
    }
    if (request.getParameter("signed-out") != null) {
      page.append("<p class=\"notice\" role=\"status\">You are signed out.</p>");
    }
    if (users.isEmpty() && providers.isEmpty()) {
      page.append("<p class=\"notice error\" role=\"alert\">No user is configured, so nobody can")
          .append(" sign in. Create one: run <code>java -jar flags-server.jar hash-password")
          .append(" alice editor</code>, put the line it prints in")
          .append(" <code>flags-server.properties</code>, and restart (docs/server.md).</p>");
    }
    if (!users.isEmpty()) {
      CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
      page.append("<form method=\"post\" action=\"").append(ServerSecurity.LOGIN).append("\">");
      if (csrf != null) {
        page.append("<input type=\"hidden\" name=\"")
            .append(escape(csrf.getParameterName()))
            .append("\" value=\"")
            .append(escape(csrf.getToken()))
            .append("\">");
      }
      page.append("<div class=\"field\"><label for=\"username\">User</label>")
          .append("<input id=\"username\" name=\"username\" autocomplete=\"username\" required>")
          .append("</div><div class=\"field\"><label for=\"password\">Password</label>")
          .append("<input id=\"password\" name=\"password\" type=\"password\"")
          .append(" autocomplete=\"current-password\" required></div>")
          .append("<button type=\"submit\" class=\"primary\" id=\"sign-in\">Sign in</button>")
          .append("</form>");
    }
    for (ClientRegistration p : providers) {
      page.append("<p><a class=\"button\" href=\"/oauth2/authorization/")
          .append(escape(p.getRegistrationId()))
          .append("\">Sign in with ")
          .append(escape(p.getClientName()))
          .append("</a></p>");
    }
    page.append("</main></body></html>");
    return ResponseEntity.ok()
        .header("Cache-Control", "no-store")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
        .contentType(MediaType.TEXT_HTML)
        .body(page.toString());
  }

  /**
   * Why the last sign-in failed, as Spring Security left it in the session: a provider's refusal or
   * an ID token that did not pass the checks (expired, wrong audience, bad signature) says which,
   * without the token itself; a wrong password says only that.
   */
  private static String failure(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Object e =
        session == null ? null : session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
    if (e instanceof OAuth2AuthenticationException oauth) {
      OAuth2Error error = oauth.getError();
      String why = error.getDescription() == null ? "" : ": " + error.getDescription();
      return "Sign-in with the identity provider failed (" + error.getErrorCode() + why + ").";
    }
    return "Wrong user or password.";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
