package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flagctl watch on a flag file: flagctl's writes with who and why, and hand edits. */
class WatchIT {

  @TempDir Path tmp;
  Shell sh;
  Path file;

  @BeforeEach
  void setUp() throws Exception {
    sh = new Shell(tmp.resolve("shell"));
    file = sh.write("flags.json", Fixtures.FLAGS);
    sh.with("FLAGCTL_FILE", file.toString());
  }

  /** The file with one flag's stored value replaced, as an editor would save it. */
  private void handEdit(String key, JsonValue value) throws Exception {
    var doc = (JsonValue.Obj) FlagCodec.standard().parse(sh.read("flags.json"));
    var flags = new LinkedHashMap<>(((JsonValue.Obj) doc.members().get("flags")).members());
    flags.put(key, value);
    var edited = new LinkedHashMap<>(doc.members());
    edited.put("flags", new JsonValue.Obj(flags));
    sh.write("flags.json", FlagCodec.standard().write(new JsonValue.Obj(edited)));
  }

  @Test
  void watchPrintsEachChangeWithWhoMadeItAndSeesAHandEdit() throws Exception {
    Shell other = new Shell(tmp.resolve("other")).with("FLAGCTL_FILE", file.toString());
    try (Watcher w = new Watcher(sh)) {
      assertThat(w.err().get(0))
          .isEqualTo("flagctl: watching every flag in file " + file + "; Ctrl-C stops");
      other.with("USER", "bob").run("kill", "new_checkout_flow", "--reason", "INC-7");
      String kill = w.awaitLine(l -> l.contains("new_checkout_flow"));
      assertThat(kill)
          .matches("\\S+ \\S+Z  new_checkout_flow  v2  bob  update  on: true -> false  \"INC-7\"");
      handEdit("new_ui_layout", JsonValue.TRUE);
      String raw = w.awaitLine(l -> l.contains("new_ui_layout"));
      assertThat(raw)
          .matches(
              "\\S+ \\S+Z  new_ui_layout  v2  unknown \\(raw edit\\)  raw-edit  on: false -> true");
    }
  }

  @Test
  void watchOfSomeKeysInJsonStopsAfterCount() throws Exception {
    try (Watcher w = new Watcher(sh, "new_ui_layout", "--json", "--count", "1")) {
      sh.run("kill", "new_checkout_flow"); // not watched
      sh.run("on", "new_ui_layout", "--reason", "launch");
      assertThat(w.process().waitFor(30, TimeUnit.SECONDS)).as(w.out() + " " + w.err()).isTrue();
      assertThat(w.process().exitValue()).isZero();
      assertThat(w.out()).hasSize(1);
      var line = (JsonValue.Obj) FlagCodec.standard().parse(w.out().get(0));
      assertThat(line.members().get("key")).isEqualTo(JsonValue.of("new_ui_layout"));
      assertThat(line.members().get("actor")).isEqualTo(JsonValue.of("alice"));
      assertThat(line.members().get("reason")).isEqualTo(JsonValue.of("launch"));
      assertThat(line.members().get("diff"))
          .isEqualTo(JsonValue.array(JsonValue.of("on: false -> true")));
    }
  }

  @Test
  void watchSaysWhenTheFileBreaksAndWhenItIsBack() throws Exception {
    try (Watcher w = new Watcher(sh)) {
      sh.write("flags.json", "{\"flags\": {");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () -> w.err().stream().anyMatch(l -> l.contains("unexpected end of the document")));
      sh.write(
          "flags.json",
          Fixtures.FLAGS.replace("\"new_ui_layout\": false", "\"new_ui_layout\": true"));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () ->
                  w.err().stream().anyMatch(l -> l.startsWith("flagctl: the store answers again")));
      w.awaitLine(l -> l.contains("new_ui_layout"));
    }
  }
}
