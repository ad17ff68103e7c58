package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code json} block of every {@code docs/*.md} decodes with the codec and is valid against
 * docs/flag-schema.json, and every error quoted in the Errors section of docs/flag-format.md is
 * produced by a fixture.
 *
 * <p>A block's info string may add words after {@code json}: {@code flag}, {@code segment} or
 * {@code set} say what it is (otherwise: a set if it has {@code flags} or {@code segments}, else a
 * flag); {@code not-schema} marks an example the codec accepts but the stricter schema must refuse
 * (unknown members).
 *
 * <p>A {@code json} block that is not a flag, segment or set document (a lone clause, an HTTP body)
 * is excluded by putting {@value #NOT_A_FLAG} on the last non-blank line before its fence; it must
 * still be well-formed JSON.
 */
class DocsExamplesTest {
  static final Path DOCS = Path.of("../docs");
  static final Path DOC = DOCS.resolve("flag-format.md");

  /** Marks the next {@code json} block of a doc as something other than a flag document. */
  static final String NOT_A_FLAG = "<!-- not-a-flag-document -->";

  record Example(String doc, int line, String kind, boolean schemaValid, String json) {
    @Override
    public String toString() {
      return doc + " line " + line + " (" + kind + ")";
    }
  }

  /** The flag, segment and set documents of every doc. */
  static List<Example> examples() throws IOException {
    return blocks().stream().filter(e -> !e.kind().equals("other")).toList();
  }

  /** The blocks marked {@link #NOT_A_FLAG}. */
  static List<Example> otherBlocks() throws IOException {
    return blocks().stream().filter(e -> e.kind().equals("other")).toList();
  }

  private static List<Example> blocks() throws IOException {
    List<Path> docs;
    try (var files = Files.list(DOCS)) {
      docs = files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
    List<Example> out = new ArrayList<>();
    for (Path doc : docs) {
      out.addAll(blocks(doc));
    }
    return out;
  }

  private static List<Example> blocks(Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc);
    List<Example> out = new ArrayList<>();
    String previous = "";
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.startsWith("```json")) {
        if (!line.isEmpty()) {
          previous = line;
        }
        continue;
      }
      Set<String> words = Set.of(line.substring(3).split("\\s+"));
      int start = i;
      StringBuilder body = new StringBuilder();
      for (i++; !lines.get(i).strip().equals("```"); i++) {
        body.append(lines.get(i)).append('\n');
      }
      String json = body.toString();
      String kind =
          previous.equals(NOT_A_FLAG)
              ? "other"
              : words.contains("segment")
                  ? "segment"
                  : words.contains("set") ? "set" : words.contains("flag") ? "flag" : guess(json);
      out.add(
          new Example(
              doc.getFileName().toString(), start + 1, kind, !words.contains("not-schema"), json));
      previous = "```";
    }
    return out;
  }

  private static String guess(String json) {
    String t = json.strip();
    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
      return "flag";
    }
    JsonValue v = FlagCodec.standard().parse(json);
    if (v instanceof JsonValue.Obj o
        && (o.members().containsKey("flags") || o.members().containsKey("segments"))) {
      return "set";
    }
    return "flag";
  }

  @Test
  void theFormatDocumentHasExamplesOfEveryKind() throws IOException {
    assertThat(examples())
        .filteredOn(e -> e.doc().equals("flag-format.md"))
        .extracting(Example::kind)
        .contains("flag", "segment", "set")
        .hasSizeGreaterThan(10);
  }

  @Test
  void flagDocumentsOutsideTheFormatDocumentAreTestedToo() throws IOException {
    assertThat(examples()).extracting(Example::doc).contains("architecture.md", "file-store.md");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherBlocks")
  void blockMarkedNotAFlagIsStillWellFormedJson(Example example) {
    assertThat(FlagCodec.standard().parse(example.json())).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleDecodesAndRoundTrips(Example example) {
    FlagCodec codec = FlagCodec.standard();
    switch (example.kind()) {
      case "set" -> {
        FlagSet set = codec.decodeFlagSet(example.json());
        assertThat(codec.decodeFlagSet(codec.encode(set))).isEqualTo(set);
      }
      case "segment" -> {
        Segment segment = codec.decodeSegment(keyOf(example.json()), example.json());
        assertThat(codec.decodeSegment(segment.key(), codec.encode(segment))).isEqualTo(segment);
      }
      default -> {
        Flag flag = codec.decodeFlag(keyOf(example.json()), example.json());
        assertThat(codec.decodeFlag(flag.key(), codec.encode(flag))).isEqualTo(flag);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleIsValidAgainstTheSchema(Example example) {
    var errors = new FlagSchema().validate(example.kind(), example.json());
    if (example.schemaValid()) {
      assertThat(errors).as("schema errors").isEmpty();
    } else {
      assertThat(errors)
          .as("an example marked not-schema must be refused by the schema")
          .isNotEmpty();
    }
  }

  @Test
  void everyQuotedErrorIsProducedByAFixture() throws IOException {
    String doc = Files.readString(DOC);
    int section = doc.indexOf("## Errors");
    int open = doc.indexOf("```text\n", section) + "```text\n".length();
    List<String> quoted = doc.substring(open, doc.indexOf("```", open)).lines().toList();
    Set<String> produced =
        Fixtures.in("invalid").stream().map(Fixtures::expectedError).collect(Collectors.toSet());

    assertThat(quoted).isNotEmpty();
    assertThat(produced).containsAll(quoted);
  }

  private static String keyOf(String json) {
    if (json.strip().length() <= 5) {
      return "example"; // the short form
    }
    JsonValue v = FlagCodec.standard().parse(json);
    if (v instanceof JsonValue.Obj o && o.members().get("key") instanceof JsonValue.Str s) {
      return s.value();
    }
    return "example";
  }
}
