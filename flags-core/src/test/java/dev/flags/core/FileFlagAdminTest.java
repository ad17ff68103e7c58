package dev.flags.core;

import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagAdminContractTest;
import dev.flags.core.json.FlagCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The shared admin contract, on a flag file; raw edits are made to the file by hand. */
class FileFlagAdminTest extends FlagAdminContractTest {

  @TempDir Path dir;

  private Path file;

  @Override
  protected FlagAdmin createAdmin() throws Exception {
    file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {}}\n");
    return FileFlagAdmin.builder(file).build();
  }

  @Override
  protected void writeRaw(String flagKey, String value) throws Exception {
    editByHand(file, flagKey, value);
  }

  @Override
  protected String malformedDefinition() {
    // A flag file holds JSON: a definition in it can be malformed only by breaking a rule.
    return "{\"variations\": [true], \"fallthrough\": {\"variation\": 5}}";
  }

  /** What an editor does: the file rewritten in place, in another format, one value changed. */
  static void editByHand(Path file, String flagKey, String value) throws Exception {
    FlagCodec codec = FlagCodec.standard();
    JsonValue.Obj root = (JsonValue.Obj) codec.parse(Files.readAllBytes(file));
    Map<String, JsonValue> members = new LinkedHashMap<>(root.members());
    Map<String, JsonValue> flags =
        new LinkedHashMap<>(((JsonValue.Obj) members.get("flags")).members());
    flags.put(flagKey, codec.parse(value));
    members.put("flags", new JsonValue.Obj(flags));
    Files.write(file, codec.write(new JsonValue.Obj(members)).getBytes(StandardCharsets.UTF_8));
  }
}
