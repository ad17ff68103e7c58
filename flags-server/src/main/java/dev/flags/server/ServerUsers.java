package dev.flags.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The users of {@code flags.server.users.<name>=<role>:<bcrypt hash>}: {@code viewer} or {@code
 * editor}, and the hash {@code hash-password} prints. Checked at start-up: a bad entry fails it,
 * naming the user and what is wrong, never showing the value. Immutable and thread-safe.
 */
record ServerUsers(Map<String, User> users) {

  /** The key of the users map. */
  static final String KEY = "flags.server.users";

  /** A bcrypt hash as Spring Security's encoder writes it ($2a$, $2b$ or $2y$, cost, 53 chars). */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

  /** One user: the name, whether an editor (else a viewer), the bcrypt hash. */
  record User(String name, boolean editor, String hash) {
    @Override
    public String toString() {
      return name + (editor ? " (editor)" : " (viewer)");
    }
  }

  ServerUsers {
    users = Map.copyOf(users);
  }

  static ServerUsers from(Environment environment) {
    Map<String, String> raw =
        Binder.get(environment)
            .bind(KEY, Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    Map<String, User> users = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    raw.forEach(
        (name, value) -> {
          if (!NAME.matcher(name).matches()) {
            problems.add(
                KEY + "." + name + ": a user name of letters, digits and . _ @ - (100 at most)");
            return;
          }
          int colon = value.indexOf(':');
          String role = colon < 0 ? "" : value.substring(0, colon).strip().toLowerCase(Locale.ROOT);
          String hash = colon < 0 ? value.strip() : value.substring(colon + 1).strip();
          if (hash.startsWith("{bcrypt}")) {
            hash = hash.substring("{bcrypt}".length());
          }
          if (!role.equals("viewer") && !role.equals("editor")) {
            problems.add(
                KEY
                    + "."
                    + name
                    + ": starts with the role, viewer: or editor:, then the hash"
                    + " (java -jar flags-server.jar hash-password prints the whole line)");
          } else if (!BCRYPT.matcher(hash).matches()) {
            problems.add(
                KEY
                    + "."
                    + name
                    + ": after '"
                    + role
                    + ":' comes a bcrypt hash ($2a$10$…, 60 characters), never the password"
                    + " itself; java -jar flags-server.jar hash-password makes one");
          } else {
            users.put(name, new User(name, role.equals("editor"), hash));
          }
        });
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "flags-server: the users are misconfigured:\n  " + String.join("\n  ", problems));
    }
    return new ServerUsers(users);
  }

  boolean isEmpty() {
    return users.isEmpty();
  }

  @Override
  public String toString() {
    return users.values().toString();
  }
}
