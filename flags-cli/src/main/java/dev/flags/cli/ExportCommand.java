package dev.flags.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the store's flags and segments as a flag file (to standard output, or --output),"
          + " members flagctl does not know included: a backup, or the input of flagctl import"
          + " elsewhere. Malformed flags are left out and named on stderr."
    },
    footerHeading = "%nExample:%n",
    footer = "  flagctl export --profile prod --output prod-flags.json")
final class ExportCommand extends Base {

  @Option(
      names = {"--output", "-o"},
      paramLabel = "FILE",
      description = "Write to this file (replaced atomically) instead of standard output.")
  @Nullable String output;

  @Override
  public Integer call() {
    Backend.Export export = backend().export();
    for (String s : export.skipped()) {
      err().println("flagctl: warning: not exported, its stored value does not read: " + s);
    }
    String text = JsonOut.pretty(export.document()) + "\n";
    if (output == null) {
      out().print(text);
      return Exit.OK;
    }
    Path target = Path.of(output).toAbsolutePath();
    try {
      Path tmp = Files.createTempFile(target.getParent(), ".flagctl-export", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw CliException.invalid("--output: cannot write " + output + ": " + e.getMessage());
    }
    if (json()) {
      printJson(
          JsonOut.obj()
              .put("file", target.toString())
              .put(
                  "flags",
                  ((dev.flags.core.JsonValue.Obj)
                          Objects.requireNonNull(export.document().members().get("flags")))
                      .members()
                      .size())
              .put("skipped", export.skipped()));
    } else {
      err().println("flagctl: exported to " + target);
    }
    return Exit.OK;
  }
}
