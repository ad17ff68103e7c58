package dev.flags.server;

import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Component;

/**
 * Says at start-up what the server serves, from which store, and who can sign in — and, without any
 * user, how to create one (the server then lets nobody in: no default password, ever). Names users
 * and roles, never a hash or a secret.
 */
@Component
class StartupNotice implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(FlagsServer.class);

  private final FlagsRuntime runtime;
  private final FlagsSettings settings;
  private final ServerUsers users;
  private final ObjectProvider<ClientRegistrationRepository> oidc;

  StartupNotice(
      FlagsRuntime runtime,
      FlagsSettings settings,
      ServerUsers users,
      ObjectProvider<ClientRegistrationRepository> oidc) {
    this.runtime = runtime;
    this.settings = settings;
    this.users = users;
    this.oidc = oidc;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
    LOG.info(
        "flags-server: the dashboard at http://localhost:{}{}/ and the admin API at {}, over {}",
        port,
        settings.dashboard().path(),
        settings.admin().path(),
        runtime.storeDescription());
    boolean openId = oidc.getIfAvailable() != null;
    if (users.isEmpty() && !openId) {
      LOG.warn(
          "flags-server: no user is configured, so nobody can sign in or change a flag. Create"
              + " one:\n"
              + "    java -jar flags-server.jar hash-password alice editor\n"
              + "  then put the line it prints (flags.server.users.alice=editor:$2a$…) in"
              + " ./flags-server.properties and restart; or configure OpenID Connect login"
              + " (spring.security.oauth2.client.registration.*). docs/server.md says more.");
    } else {
      LOG.info(
          "flags-server: users {}{}",
          users.isEmpty() ? "none" : users,
          openId ? ", and OpenID Connect login" : "");
    }
  }
}
