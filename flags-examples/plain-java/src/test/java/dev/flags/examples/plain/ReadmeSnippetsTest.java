package dev.flags.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of the README and of {@code docs/*.md} marked {@code <!-- snippet: path#tag -->}
 * are copies of tagged regions of source files that tests compile and run, and those marked {@code
 * <!-- snippet: path -->} are whole files that tests load (flag files), so the documentation cannot
 * drift from working code.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("../..");
  private static final Pattern SNIPPET =
      Pattern.compile(
          "<!-- snippet: ([^\\s#]+)(?:#(\\S+))? -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL);

  /** The README blocks that must stay marked: each kind of user's quick start and the flag file. */
  private static final List<String> README_SNIPPETS =
      List.of(
          "flags-examples/plain-java/src/main/java/dev/flags/examples/plain/QuickStart.java#quick-start",
          "flags-examples/plain-java/src/main/java/dev/flags/examples/plain/PlainJavaDemo.java#file-store",
          "flags-examples/plain-java/flags.json",
          "flags-redis/src/test/java/dev/flags/redis/ReadmeExampleTest.java#redis-quick-start",
          "flags-examples/spring-boot/src/main/java/dev/flags/examples/spring/CheckoutController.java#spring-quick-start",
          "flags-examples/spring-boot/src/main/java/dev/flags/examples/spring/CheckoutApplication.java#spring-quick-start-switch",
          "flags-examples/micronaut/src/main/java/dev/flags/examples/micronaut/CheckoutController.java#micronaut-quick-start",
          "flags-examples/micronaut/src/main/java/dev/flags/examples/micronaut/PaymentGatewaySwitch.java#micronaut-quick-start-switch");

  @Test
  void everyMarkedReadmeBlockMatchesItsSource() throws IOException {
    assertThat(checkMarkedBlocks(ROOT.resolve("README.md")))
        .as("marked README blocks")
        .containsAll(README_SNIPPETS);
  }

  @Test
  void everyMarkedDocsBlockMatchesItsSource() throws IOException {
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        checkMarkedBlocks(doc);
      }
    }
  }

  /** Checks every marked block of a Markdown file; returns the marks it checked. */
  private static List<String> checkMarkedBlocks(Path markdown) throws IOException {
    Matcher m = SNIPPET.matcher(Files.readString(markdown));
    List<String> checked = new ArrayList<>();
    while (m.find()) {
      Path source = ROOT.resolve(m.group(1));
      String mark = m.group(2) == null ? m.group(1) : m.group(1) + "#" + m.group(2);
      String expected = m.group(2) == null ? Files.readString(source) : tagged(source, m.group(2));
      assertThat(m.group(3))
          .as("%s block for %s", markdown.getFileName(), mark)
          .isEqualTo(expected);
      checked.add(mark);
    }
    return checked;
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
    int indent =
        region.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    for (String l : region) {
      out.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
    }
    return out.toString();
  }
}
