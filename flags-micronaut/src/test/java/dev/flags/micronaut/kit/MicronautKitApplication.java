package dev.flags.micronaut.kit;

import dev.flags.core.JsonValue;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.kit.Kit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitHealth;
import dev.flags.integration.kit.KitOptions;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real Micronaut application for the parity kit: Netty on a loopback port, flags-micronaut's
 * beans, micronaut-security with HTTP Basic users ({@link KitAuthentication}), the management
 * health endpoint and a context probe ({@link KitContextProbe}). Without security ({@link
 * KitOptions#withoutSecurity()}) micronaut-security is switched off, so the application has none.
 */
public final class MicronautKitApplication implements KitApplication {

  /** The property that turns on the kit's beans (they are on every test's classpath). */
  static final String KIT = "kit.application";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ApplicationContext context;
  private final EmbeddedServer server;

  private MicronautKitApplication(ApplicationContext context, EmbeddedServer server) {
    this.context = context;
    this.server = server;
  }

  /** Starts an application; the parity kit's starter. */
  public static MicronautKitApplication start(KitOptions options) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(KIT, "true");
    properties.put("micronaut.server.port", "-1");
    properties.put("micronaut.server.host", "127.0.0.1");
    properties.put("micronaut.security.enabled", Boolean.toString(options.securityAvailable()));
    properties.put("endpoints.health.details-visible", "ANONYMOUS");
    properties.putAll(options.settings());
    ApplicationContextBuilder builder = ApplicationContext.builder().properties(properties);
    options.admin().ifPresent(builder::singletons);
    ApplicationContext context = builder.start();
    try {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      return new MicronautKitApplication(context, server);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  @Override
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  @Override
  public URI contextProbe() {
    return URI.create(baseUri() + KitContextProbe.PATH);
  }

  @Override
  public KitHealth health() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(baseUri() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonValue flags = Kit.at(Kit.CODEC.parse(r.body()), "details.flags");
    return new KitHealth(
        Kit.text(Kit.at(flags, "status")).equals("UP"), (JsonValue.Obj) Kit.at(flags, "details"));
  }

  @Override
  public FlagsSettings boundSettings() {
    return context.getBean(FlagsSettings.class);
  }

  @Override
  public void close() {
    server.stop();
    context.close();
  }
}
