package dev.flags.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the shell completion script of flagctl (bash; zsh runs it through bashcompinit)."
          + " The build also writes it to flags-cli/target/completion/."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl completion > ~/.local/share/bash-completion/completions/flagctl",
      "  source <(flagctl completion)            # in ~/.bashrc or ~/.zshrc"
    })
final class CompletionCommand extends Base {

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the bash script to FILE instead of standard output.")
  @Nullable Path output;

  @Option(
      names = "--zsh-output",
      paramLabel = "FILE",
      description = "Also write a zsh script (bashcompinit, then the same completion) to FILE.")
  @Nullable Path zshOutput;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("flagctl", Flagctl.full());
    if (output == null && zshOutput == null) {
      out().print(script);
      return Exit.OK;
    }
    try {
      if (output != null) {
        write(output, script);
      }
      if (zshOutput != null) {
        write(
            zshOutput,
            "#compdef flagctl\n"
                + "# flagctl completion for zsh: put this file in a directory of your $fpath, or"
                + " source it from ~/.zshrc.\n"
                + "autoload -U +X compinit && compinit\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + script);
      }
    } catch (IOException e) {
      throw CliException.invalid("cannot write the completion script: " + e.getMessage());
    }
    return Exit.OK;
  }

  private static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
