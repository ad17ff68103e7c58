package dev.flags.integration.kit;

import dev.flags.core.admin.FlagAdmin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the parity kit wants an application started.
 *
 * @param settings the configuration: {@code flags.*} keys and values, as an application would write
 *     them in a properties file (lists comma-separated or indexed)
 * @param admin a {@link FlagAdmin} the application must use instead of the one its store gives (a
 *     bean of the application's own, in Spring or Micronaut), or empty
 * @param securityAvailable whether the application has security; without, it has none at all (to
 *     test {@code flags.admin.insecure-local-development})
 */
public record KitOptions(
    Map<String, String> settings, Optional<FlagAdmin> admin, boolean securityAvailable) {

  public KitOptions {
    settings = Map.copyOf(settings);
  }

  /** An application with these settings, its own store's admin, and security. */
  public static KitOptions of(Map<String, String> settings) {
    return new KitOptions(settings, Optional.empty(), true);
  }

  /** These options, with one more setting. */
  public KitOptions with(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(settings);
    m.put(key, value);
    return new KitOptions(m, admin, securityAvailable);
  }

  /** These options, with this admin instead of the store's. */
  public KitOptions withAdmin(FlagAdmin admin) {
    return new KitOptions(settings, Optional.of(admin), securityAvailable);
  }

  /** These options, for an application without any security. */
  public KitOptions withoutSecurity() {
    return new KitOptions(settings, admin, false);
  }
}
