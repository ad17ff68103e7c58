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
 * Every {@code json} block of docs/flag-format.md decodes with the codec and is valid against
 * docs/flag-schema.json, and every error quoted in its Errors section is produced by a fixture.
 *
 * <p>A block's info string may add words after {@code json}: {@code flag}, {@code segment} or
 * {@code set} say what it is (otherwise: a set if it has {@code flags} or {@code segments}, else a
 * flag); {@code not-schema} marks an example the codec accepts but the stricter schema must
 * refuse (unknown members).
 */
class DocsExamplesTest {
  static final Path DOC = Path.of("../docs/flag-format.md");

  record Example(int line, String kind, boolean schemaValid, String json) {
    @Override
    public String toString() {
      return "flag-format.md line " + line + " (" + kind + ")";
    }
  }

  static List<Example> examples() throws IOException {
    List<String> lines = Files.readAllLines(DOC);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.startsWith("```json")) {
        continue;
      }
      Set<String> words = Set.of(line.substring(3).split("\\s+"));
      int start = i;
      StringBuilder body = new StringBuilder();
      for (i++; !lines.get(i).strip().equals("```"); i++) {
        body.append(lines.get(i)).append('\n');
      }
      String json = body.toString();
      String kind = words.contains("segment") ? "segment" : words.contains("set") ? "set" : words.contains("flag") ? "flag" : guess(json);
      out.add(new Example(start + 1, kind, !words.contains("not-schema"), json));
    }
    return out;
  }

  private static String guess(String json) {
    String t = json.strip();
    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
      return "flag";
    }
    JsonValue v = FlagCodec.standard().parse(json);
    if (v instanceof JsonValue.Obj o && (o.members().containsKey("flags") || o.members().containsKey("segments"))) {
      return "set";
    }
    return "flag";
  }

  @Test
  void theDocumentHasExamplesOfEveryKind() throws IOException {
    assertThat(examples()).extracting(Example::kind).contains("flag", "segment", "set").hasSizeGreaterThan(10);
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
      assertThat(errors).as("an example marked not-schema must be refused by the schema").isNotEmpty();
    }
  }

  @Test
  void everyQuotedErrorIsProducedByAFixture() throws IOException {
    String doc = Files.readString(DOC);
    int section = doc.indexOf("## Errors");
    int open = doc.indexOf("```text\n", section) + "```text\n".length();
    List<String> quoted = doc.substring(open, doc.indexOf("```", open)).lines().toList();
    Set<String> produced = Fixtures.in("invalid").stream().map(Fixtures::expectedError).collect(Collectors.toSet());

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
