package dev.flags.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The build's training run for the class-data-sharing archive (src/cds/make-archive.sh): the common
 * commands over a copy of a small flag file, output discarded, so the archive holds the classes
 * they load. Not a user command ({@code flagctl --cds-training FILE}).
 */
final class Training {
  private Training() {}

  static int run(String file, Map<String, String> machine, PrintWriter out, PrintWriter err) {
    // None of the builder's FLAGCTL_* settings: the training touches its own file only.
    Map<String, String> env = new java.util.HashMap<>();
    machine.forEach(
        (k, v) -> {
          if (!k.startsWith("FLAGCTL_") || k.equals("FLAGCTL_CONFIG")) {
            env.put(k, v);
          }
        });
    List<List<String>> runs =
        List.of(
            List.of("get", "new_checkout_flow"),
            List.of("get", "new_checkout_flow", "--json"),
            List.of("list"),
            List.of("list", "--json"),
            List.of("get", "no_such_flag"),
            List.of("rollout", "new_checkout_flow", "30%", "--actor", "build"),
            List.of("kill", "new_checkout_flow", "--actor", "build"),
            List.of("restore", "new_checkout_flow", "--actor", "build"),
            List.of("target", "add", "new_checkout_flow", "user-9", "--actor", "build"),
            List.of("explain", "new_checkout_flow", "--user", "user-3", "--attr", "country=FR"),
            List.of("audit", "new_checkout_flow"),
            List.of("stale"),
            List.of("validate", file),
            List.of("diff", file),
            List.of("export"),
            List.of("--help"),
            List.of("rollout", "--help"));
    int failures = 0;
    for (List<String> args : runs) {
      String[] a =
          java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("--file", file))
              .toArray(String[]::new);
      if (args.contains("--help") || args.get(0).equals("validate")) {
        a = args.toArray(String[]::new);
      }
      StringWriter sink = new StringWriter();
      int code =
          Flagctl.run(
              a,
              env,
              new PrintWriter(sink),
              new PrintWriter(sink),
              Optional.<BufferedReader>empty(),
              Clock.systemUTC());
      if (code != Exit.OK && code != Exit.NOT_FOUND) {
        failures++;
        err.println("training: " + String.join(" ", a) + " exited " + code + ":\n" + sink);
      }
    }
    out.println("trained on " + runs.size() + " commands");
    return failures == 0 ? Exit.OK : Exit.INVALID;
  }
}
