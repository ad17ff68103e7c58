package dev.flags.cli;

import dev.flags.core.Flag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "target",
    mixinStandardHelpOptions = true,
    description = "Serves a variation to individual context keys (users), or stops doing so.",
    subcommands = {TargetCommand.Add.class, TargetCommand.Remove.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl target add new_checkout_flow alice bob",
      "  flagctl target remove new_checkout_flow --from-file ids.txt"
    })
final class TargetCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name what to do: flagctl target add or flagctl target remove");
  }

  /** Which variation: an index, or a boolean flag's value. */
  static final class Which {
    @Option(
        names = "--variation",
        paramLabel = "N",
        description = "The variation's index (0, 1, …).")
    @Nullable Integer variation;

    @Option(
        names = "--value",
        arity = "1",
        paramLabel = "true|false",
        description = "For a boolean flag: the value (default true).")
    @Nullable Boolean value;
  }

  abstract static class Edit extends WriteBase {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag key.")
    @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
    String key;

    @Parameters(
        index = "1..*",
        arity = "0..*",
        paramLabel = "ID",
        description = "Context keys (user ids).")
    List<String> ids = new ArrayList<>();

    @Option(
        names = "--from-file",
        paramLabel = "FILE",
        description =
            "Read context keys from a file, one per line (# comments, blank lines"
                + " ignored); - reads standard input.")
    @Nullable String fromFile;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    @Nullable Which which;

    abstract boolean add();

    @Override
    public Integer call() {
      Set<String> keys = new LinkedHashSet<>(ids);
      if (fromFile != null) {
        keys.addAll(readIds(fromFile));
      }
      if (keys.isEmpty()) {
        throw CliException.invalid(
            "name at least one context key: flagctl target "
                + (add() ? "add" : "remove")
                + " "
                + key
                + " ID… or --from-file FILE");
      }
      banner();
      FlagState before = require(key);
      checkVersion(before);
      Flag f = before.readable();
      Optional<Integer> variation = Optional.ofNullable(which == null ? null : which.variation);
      Optional<Boolean> value = Optional.ofNullable(which == null ? null : which.value);
      if (variation.isEmpty()) {
        AdminBackend.booleanIndex(f, value.orElse(true)); // a clear error for another flag
      } else if (variation.get() < 0 || variation.get() >= f.variations().size()) {
        throw CliException.invalid(
            "--variation: flag \""
                + key
                + "\" has variations 0 to "
                + (f.variations().size() - 1)
                + ", not "
                + variation.get()
                + "; nothing was written");
      }
      FlagState after =
          backend()
              .targets(key, add(), variation, value, List.copyOf(keys), write(before.version()));
      List<String> diff = after.flag().isPresent() ? Diffs.lines(f, after.flag().get()) : List.of();
      if (json()) {
        printJson(
            JsonOut.obj()
                .put("key", key)
                .put("changed", after.version() != before.version())
                .put("version", after.version())
                .put("previousVersion", before.version())
                .put("diff", diff)
                .put("summary", Views.json(after.summary())));
        return Exit.OK;
      }
      if (after.version() == before.version()) {
        out().println(key + ": nothing to change (version " + after.version() + ")");
      } else {
        out()
            .println(
                key
                    + " (version "
                    + after.version()
                    + "): "
                    + (diff.isEmpty() ? "targets changed" : String.join("; ", diff)));
      }
      return Exit.OK;
    }

    private List<String> readIds(String file) {
      List<String> lines;
      try {
        lines =
            file.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw CliException.invalid("--from-file: " + file + " does not exist; nothing was written");
      } catch (IOException e) {
        throw CliException.invalid(
            "--from-file: cannot read " + file + ": " + e.getMessage() + "; nothing was written");
      }
      List<String> out = new ArrayList<>();
      for (String l : lines) {
        String t = l.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          out.add(t);
        }
      }
      return out;
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Serves a variation (a boolean flag: true, or --value false) to these context keys,"
            + " moving them from another variation's targets. One audited change, however many"
            + " keys."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  flagctl target add new_checkout_flow alice bob --reason \"beta\"",
        "  flagctl target add checkout_theme --variation 1 --from-file ids.txt"
      })
  static final class Add extends Edit {
    @Override
    boolean add() {
      return true;
    }
  }

  @Command(
      name = "remove",
      aliases = "rm",
      mixinStandardHelpOptions = true,
      description = "Stops serving a variation individually to these context keys.",
      footerHeading = "%nExample:%n",
      footer = "  flagctl target remove new_checkout_flow bob")
  static final class Remove extends Edit {
    @Override
    boolean add() {
      return false;
    }
  }
}
