package dev.flags.server;

import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The control plane: {@code java -jar flags-server.jar} serves the dashboard and the admin HTTP API
 * (docs/server.md); {@code java -jar flags-server.jar hash-password} prints the bcrypt hash of a
 * password read from the console, for {@code flags.server.users.<name>}.
 *
 * <p>Its settings come from {@code ./flags-server.properties} (or {@code .yml}, or {@code
 * ./config/}), the command line ({@code --flags.redis.url=redis://…}) and environment variables
 * ({@code FLAGS_REDIS_URL}), in Spring Boot's order. Thread-safe: one per process.
 */
@SpringBootApplication
public class FlagsServer {

  /** The name of the server's configuration files: {@code flags-server.properties}. */
  public static final String CONFIG_NAME = "flags-server";

  /** Runs the server, or {@code hash-password}. */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals(HashPassword.COMMAND)) {
      System.exit(HashPassword.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    start(args);
  }

  /** Starts the server with these arguments (tests start it in-process the same way). */
  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication app = new SpringApplication(FlagsServer.class);
    // Its own file name, so an application.properties elsewhere on a class path is not read.
    app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
    app.addListeners(new ServerDefaults());
    return app.run(args);
  }
}
