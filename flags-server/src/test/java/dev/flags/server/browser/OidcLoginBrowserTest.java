package dev.flags.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.dashboard.browser.Browser;
import dev.flags.server.FlagsServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * OpenID Connect sign-in end to end, in Debian's chromium: flags-server configured as
 * docs/server.md shows (a client registration by issuer, {@code preferred_username} as the name,
 * the {@code groups} claim mapped to roles) against {@link TinyOidcProvider}, a real provider on a
 * local port — discovery, JWKS, the authorization-code flow, an RS256-signed ID token with the
 * nonce, user info, PKCE (the provider refuses a sign-in without it). A release manager becomes an
 * editor and the audit names them, support staff viewers, and someone in no mapped group signs in
 * but is shown nothing; an expired ID token signs nobody in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcLoginBrowserTest {

  static final TinyOidcProvider.Person ERIN =
      new TinyOidcProvider.Person("00u-erin-7", "erin", List.of("everyone", "release-managers"));
  static final TinyOidcProvider.Person SAM =
      new TinyOidcProvider.Person("00u-sam-3", "sam", List.of("everyone", "support"));
  static final TinyOidcProvider.Person OLGA =
      new TinyOidcProvider.Person("00u-olga-5", "olga", List.of("everyone", "finance"));

  TinyOidcProvider provider;
  ConfigurableApplicationContext server;
  FlagAdmin admin;
  Path dir;

  @BeforeAll
  void start() throws Exception {
    provider = TinyOidcProvider.start("flags-server", "s3cret-for-tests", List.of(ERIN, SAM, OLGA));
    dir = Files.createTempDirectory("flags-server-oidc");
    String reg = "--spring.security.oauth2.client.registration.corp.";
    server =
        FlagsServer.start(
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--logging.level.root=WARN",
            "--flags.file.path=" + dir.resolve("flags.json"),
            "--flags.dashboard.environment=production",
            reg + "provider=corp",
            reg + "client-id=flags-server",
            reg + "client-secret=s3cret-for-tests",
            reg + "scope=openid,profile,groups",
            reg + "client-name=Corp SSO",
            "--spring.security.oauth2.client.provider.corp.issuer-uri=" + provider.issuer(),
            "--spring.security.oauth2.client.provider.corp.user-name-attribute=preferred_username",
            "--flags.server.oidc.role-claim=groups",
            "--flags.server.oidc.editor-values=release-managers",
            "--flags.server.oidc.viewer-values=support,product");
    admin = server.getBean(FlagAdmin.class);
    admin.create(
        Flag.builder("new_checkout_flow").owner("team-payments").percentageRollout(10).build(),
        Change.by("seed").because("test set-up"));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {server, provider}) {
      if (c != null) {
        c.close();
      }
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  URI base() {
    return URI.create(
        "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port"));
  }

  URI dashboard(String path) {
    return URI.create(base() + "/flags/" + path);
  }

  /**
   * Opens the dashboard, is sent to the sign-in page, and signs in at the provider as {@code p}.
   */
  void signInWithOpenIdConnect(Browser b, TinyOidcProvider.Person p) {
    signInAtTheProvider(b, p);
    assertThat(b.driver().getCurrentUrl())
        .as("back from the provider, signed in (Spring's saved request may add ?continue)")
        .startsWith(dashboard("").toString());
  }

  /** From the dashboard to the provider's page, where {@code p} is picked. */
  void signInAtTheProvider(Browser b, TinyOidcProvider.Person p) {
    b.get(dashboard(""));
    assertThat(b.driver().getCurrentUrl()).isEqualTo(base() + "/login");
    b.assertAccessible("sign-in with OpenID Connect");
    b.clickToNextPage(By.linkText("Sign in with Corp SSO"));
    assertThat(b.driver().getCurrentUrl())
        .as("the provider answers 400 to a request without PKCE")
        .startsWith(provider.issuer() + "/authorize?")
        .contains("code_challenge_method=S256");
    b.clickToNextPage(By.id("as-" + p.subject()));
  }

  @Test
  void aReleaseManagerSignsInAsEditorAndTheAuditNamesThem() {
    int tokenRequests = provider.tokenRequests.size();
    try (Browser b = Browser.start()) {
      signInWithOpenIdConnect(b, ERIN);
      assertThat(provider.tokenRequests).hasSize(tokenRequests + 1);
      // PKCE stays on for this confidential client (Spring Security 7's default; 6.x added it only
      // for public clients): a code caught on its way back is useless without the verifier.
      assertThat(provider.tokenRequests.get(tokenRequests)).contains("code_verifier=");
      assertThat(b.text(By.cssSelector(".top"))).contains("erin · editor");
      b.get(dashboard("flags/new_checkout_flow"));
      assertThat(b.findAll(By.cssSelector("form.state button[type=submit]"))).hasSize(1);
      b.find(By.id("reason-state")).sendKeys("signed in through Corp SSO");
      b.clickToNextPage(By.cssSelector("form.state button[type=submit]"));
      b.clickToNextPage(By.id("confirm"));
      assertThat(b.text(By.id("state"))).isEqualTo("Off");
    }
    assertThat(admin.get("new_checkout_flow").orElseThrow().flag().on()).isFalse();
    var last = admin.audit(AuditQuery.builder().flag("new_checkout_flow").limit(1).build()).get(0);
    assertThat(last.actor()).isEqualTo("erin");
    assertThat(last.reason()).isEqualTo("signed in through Corp SSO");
  }

  @Test
  void supportStaffSignInAsViewersAndSeeNoWayToChange() {
    try (Browser b = Browser.start()) {
      signInWithOpenIdConnect(b, SAM);
      assertThat(b.text(By.cssSelector(".top"))).contains("sam · viewer");
      assertThat(b.findAll(By.cssSelector("#flags tbody tr"))).isNotEmpty();
      b.get(dashboard("flags/new_checkout_flow"));
      assertThat(b.text(By.tagName("h1"))).contains("new_checkout_flow");
      assertThat(b.findAll(By.cssSelector("form[method=post]"))).isEmpty();
      assertThat(b.findAll(By.cssSelector("main button"))).isEmpty();
    }
  }

  @Test
  void anExpiredIdTokenSignsNobodyInAndThePageSaysWhy() {
    provider.expiredIdTokens = true;
    try (Browser b = Browser.start()) {
      signInAtTheProvider(b, ERIN);
      assertThat(b.driver().getCurrentUrl()).isEqualTo(base() + "/login?error");
      assertThat(b.text(By.cssSelector(".notice.error")))
          .startsWith("Sign-in with the identity provider failed (invalid_id_token")
          .contains("expired");
      b.assertAccessible("a failed OpenID Connect sign-in");
      b.get(dashboard("flags/new_checkout_flow"));
      assertThat(b.driver().getCurrentUrl()).as("still signed out").isEqualTo(base() + "/login");
    } finally {
      provider.expiredIdTokens = false;
    }
  }

  @Test
  void someoneInNoMappedGroupSignsInButIsShownNoFlags() {
    try (Browser b = Browser.start()) {
      signInWithOpenIdConnect(b, OLGA);
      assertThat(b.text(By.tagName("main")))
          .contains("olga may not see the flags")
          .doesNotContain("new_checkout_flow");
    }
  }
}
