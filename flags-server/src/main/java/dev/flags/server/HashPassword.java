package dev.flags.server;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code java -jar flags-server.jar hash-password [name] [viewer|editor]}: reads a password from
 * the console without echoing it (twice), or from the first line of standard input when there is no
 * console ({@code … hash-password < file}), and prints the line to put in {@code
 * flags-server.properties}: {@code flags.server.users.<name>=<role>:<bcrypt hash>}. The password is
 * never printed.
 */
final class HashPassword {

  static final String COMMAND = "hash-password";

  /** The bcrypt cost: 2^12 rounds, about a quarter of a second per sign-in on a laptop. */
  static final int STRENGTH = 12;

  /** The shortest password accepted. */
  static final int MIN_LENGTH = 12;

  private HashPassword() {}

  static int run(String[] args) {
    return run(args, System.console(), System.in, System.out, System.err);
  }

  static int run(
      String[] args,
      @Nullable Console console,
      java.io.InputStream in,
      PrintStream out,
      PrintStream err) {
    if (args.length > 2
        || (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")))) {
      err.println(
          """
          Usage: java -jar flags-server.jar hash-password [name] [viewer|editor]
          Reads a password (not echoed) and prints the line for flags-server.properties.
          Example: java -jar flags-server.jar hash-password alice editor""");
      return args.length > 2 ? 2 : 0;
    }
    String name = args.length > 0 ? args[0] : "<name>";
    String role = args.length > 1 ? args[1] : "editor";
    if (!role.equals("viewer") && !role.equals("editor")) {
      err.println("hash-password: the role is viewer or editor, got " + role);
      return 2;
    }
    char[] password;
    if (console != null) {
      password = console.readPassword("Password for %s (not shown): ", name);
      char[] again = console.readPassword("Again: ");
      if (password == null || again == null || !Arrays.equals(password, again)) {
        err.println("hash-password: the two passwords differ; nothing printed");
        return 1;
      }
      Arrays.fill(again, '\0');
    } else {
      try {
        String line =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        password = line == null ? new char[0] : line.toCharArray();
      } catch (IOException e) {
        err.println("hash-password: cannot read standard input: " + e.getMessage());
        return 1;
      }
    }
    if (password.length < MIN_LENGTH) {
      err.println(
          "hash-password: a password of " + MIN_LENGTH + " characters or more; nothing printed");
      return 1;
    }
    String hash = new BCryptPasswordEncoder(STRENGTH).encode(java.nio.CharBuffer.wrap(password));
    Arrays.fill(password, '\0');
    out.println(ServerUsers.KEY + "." + name + "=" + role + ":" + hash);
    return 0;
  }
}
