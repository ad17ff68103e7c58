package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --help with an example on every command; the completion scripts the build made. */
class HelpIT {

  @TempDir Path tmp;

  static List<List<String>> everyCommand() {
    List<List<String>> all = new ArrayList<>();
    for (String c : Flagctl.commandNames()) {
      all.add(List.of(c));
    }
    all.addAll(
        List.of(
            List.of("target", "add"),
            List.of("target", "remove"),
            List.of("profile", "list"),
            List.of("profile", "use"),
            List.of("profile", "show"),
            List.of("plan", "status"),
            List.of("plan", "pause"),
            List.of("plan", "resume"),
            List.of("plan", "abort"),
            List.of("plan", "restart")));
    return all;
  }

  @Test
  void everyCommandHasHelpWithAnExample() throws Exception {
    Shell sh = new Shell(tmp);
    Shell.Result top = sh.run("--help");
    assertThat(top.code()).isZero();
    assertThat(top.out()).contains("Examples:", "Exit codes: 0 ok, 1 not found");
    for (String c : Flagctl.commandNames()) {
      assertThat(top.out()).as("flagctl --help lists " + c).contains("\n  " + c);
    }
    for (List<String> command : everyCommand()) {
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      Shell.Result r = sh.run(args.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", args) + "\n" + r.both()).isZero();
      assertThat(r.out())
          .as(String.join(" ", args))
          .containsPattern("Examples?:\n  flagctl " + command.get(0));
      // Regression: a bare % in a help text made picocli print a WARN and show the raw text.
      assertThat(r.both()).as(String.join(" ", args)).doesNotContain("picocli WARN");
    }
  }

  @Test
  void flagctlAlonePrintsTheUsage() throws Exception {
    Shell.Result r = new Shell(tmp).run();
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("Usage: flagctl").contains("Commands:", "  kill");
  }

  @Test
  void aMistypedCommandOrOptionIsInvalidInput() throws Exception {
    Shell sh = new Shell(tmp);
    Shell.Result r = sh.run("rolout", "x", "5%");
    assertThat(r.code()).isEqualTo(Exit.INVALID);
    assertThat(r.err()).startsWith("flagctl: Unmatched arguments from index 0: 'rolout'");
    Shell.Result opt = sh.run("list", "--tga", "x", "--file", "f.json");
    assertThat(opt.code()).isEqualTo(Exit.INVALID);
    assertThat(opt.err()).contains("Unknown options: '--tga'", "flagctl list --help shows how");
  }

  @Test
  void versionNamesTheJava() throws Exception {
    Shell.Result r = new Shell(tmp).run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("flagctl 0.").contains("Java 17");
  }

  @Test
  void theBuildMadeBashAndZshCompletionThatCompletesCommandsAndOptions() throws Exception {
    Path dir = Path.of(System.getProperty("flagctl.completion"));
    Path bash = dir.resolve("flagctl.bash");
    Path zsh = dir.resolve("_flagctl");
    assertThat(bash).exists();
    assertThat(zsh).exists();
    assertThat(Files.readString(zsh)).startsWith("#compdef flagctl").contains("bashcompinit");
    assertThat(complete(bash, "flagctl ro")).contains("rollout");
    assertThat(complete(bash, "flagctl target a")).contains("add");
    assertThat(complete(bash, "flagctl rollout --y")).contains("--yes");
    assertThat(complete(bash, "flagctl list --past")).contains("--past-kill-date");
    Shell.Result printed = new Shell(tmp).run("completion");
    assertThat(printed.out()).isEqualTo(Files.readString(bash));
  }

  /** What bash completes for {@code line}, running the script as bash does on TAB. */
  private static String complete(Path script, String line) throws Exception {
    String words = line;
    String program =
        "source '"
            + script
            + "'\n"
            + "COMP_LINE='"
            + line
            + "'; COMP_POINT=${#COMP_LINE}\n"
            + "read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
            + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
            + "_complete_flagctl flagctl \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
            + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process p;
    try {
      p = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("bash is needed for this test (Debian: apt-get install bash)", e);
    }
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    return words + " -> " + out;
  }
}
