package dev.flags.dashboard.browser;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The dashboard over a flag file it edits (the standalone server's default store). This run takes
 * the screenshots of docs/dashboard.md.
 */
class FileDashboardBrowserTest extends DashboardBrowserTest {

  private Path dir;

  @Override
  Map<String, String> storeSettings() throws Exception {
    dir = Files.createTempDirectory("flags-dashboard-file");
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {}}\n");
    return Map.of(
        "flags.store", "file",
        "flags.file.path", file.toString(),
        "flags.file.poll-interval", "100ms");
  }

  @Override
  void rawSetOff(String key) throws Exception {
    // A hand edit of the file, as a text editor makes it.
    Path file = dir.resolve("flags.json");
    FlagCodec codec = FlagCodec.standard();
    JsonValue.Obj root = (JsonValue.Obj) codec.parse(Files.readString(file));
    Map<String, JsonValue> flags =
        new LinkedHashMap<>(((JsonValue.Obj) root.members().get("flags")).members());
    flags.put(key, JsonValue.FALSE);
    Map<String, JsonValue> members = new LinkedHashMap<>(root.members());
    members.put("flags", new JsonValue.Obj(flags));
    Files.writeString(file, codec.write(new JsonValue.Obj(members)));
  }

  @Override
  boolean takesScreenshots() {
    return true;
  }

  @AfterAll
  void removeTheFile() throws Exception {
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
