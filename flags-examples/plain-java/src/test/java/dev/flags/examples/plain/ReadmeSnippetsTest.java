package dev.flags.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's code blocks marked {@code <!-- snippet: path#tag -->} are copies of tagged regions
 * of source files that tests compile and run, so the README cannot drift from working code.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("../..");
  private static final Pattern SNIPPET =
      Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyMarkedReadmeBlockMatchesItsTaggedSource() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher m = SNIPPET.matcher(readme);
    List<String> checked = new ArrayList<>();
    while (m.find()) {
      String expected = tagged(ROOT.resolve(m.group(1)), m.group(2));
      assertThat(m.group(3)).as("README block for %s#%s", m.group(1), m.group(2)).isEqualTo(expected);
      checked.add(m.group(1));
    }
    assertThat(checked).as("marked README blocks").isNotEmpty();
  }

  /** The lines between {@code tag::name[]} and {@code end::name[]}, de-indented. */
  static String tagged(Path file, String tag) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("tag::" + tag + "[]")) {
        start = i + 1;
      } else if (lines.get(i).contains("end::" + tag + "[]")) {
        end = i;
      }
    }
    assertThat(start).as("tag %s in %s", tag, file).isPositive();
    assertThat(end).as("end of tag %s in %s", tag, file).isGreaterThan(start);
    List<String> region = lines.subList(start, end);
    int indent = region.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String l : region) {
      out.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
    }
    return out.toString();
  }
}
