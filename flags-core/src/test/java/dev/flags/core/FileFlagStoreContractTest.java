package dev.flags.core;

import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.FlagStoreContractTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store against the store contract, in its two shapes: one file holding the whole set, and
 * a directory with one file per flag and per segment (so a change rewrites one file only).
 */
class FileFlagStoreContractTest {

  private static final FlagCodec CODEC = FlagCodec.standard();

  /** Writes like an editor or a deployment tool: to a temporary name, then renamed over. */
  static void writeAtomically(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The definitions of a source as the test sees them; written out as JSON after each change. */
  abstract static class FileSource extends FlagStoreContractTest {
    @TempDir Path dir;
    final Map<String, Flag> flags = new LinkedHashMap<>();
    final Map<String, Segment> segments = new LinkedHashMap<>();

    abstract Path path();

    abstract void write() throws Exception;

    @Override
    protected FlagStore createStore(FlagSet initial) throws Exception {
      flags.putAll(initial.flags());
      segments.putAll(initial.segments());
      write();
      // A short poll interval as well: the contract must hold whichever of events or polls comes
      // first.
      return FileFlagStore.builder().path(path()).pollInterval(Duration.ofMillis(200)).build();
    }

    @Override
    protected void writeFlag(Flag flag) throws Exception {
      flags.put(flag.key(), flag);
      write();
    }

    @Override
    protected void removeFlag(String key) throws Exception {
      flags.remove(key);
      write();
    }

    @Override
    protected void writeSegment(Segment segment) throws Exception {
      segments.put(segment.key(), segment);
      write();
    }

    @Override
    protected void removeSegment(String key) throws Exception {
      segments.remove(key);
      write();
    }

    @Override
    protected MalformedHandling malformedHandling() {
      return MalformedHandling.WHOLE_SOURCE;
    }
  }

  /** A variation index out of range: valid JSON, invalid flag. */
  static final String MALFORMED_FLAG =
      "{\"variations\": [\"red\"], \"offVariation\": 0, \"fallthrough\": {\"variation\": 5}}";

  @Nested
  class SingleFile extends FileSource {
    @Override
    Path path() {
      return dir.resolve("flags.json");
    }

    @Override
    void write() throws Exception {
      writeAtomically(path(), CODEC.encode(new FlagSet(flags, segments)));
    }

    @Override
    protected void writeMalformedFlag(String key) throws Exception {
      JsonValue.Obj root = (JsonValue.Obj) CODEC.parse(CODEC.encode(new FlagSet(flags, segments)));
      Map<String, JsonValue> flagsJson =
          new LinkedHashMap<>(((JsonValue.Obj) root.members().get("flags")).members());
      flagsJson.put(key, CODEC.parse(MALFORMED_FLAG));
      Map<String, JsonValue> doc = new LinkedHashMap<>(root.members());
      doc.put("flags", new JsonValue.Obj(flagsJson));
      writeAtomically(path(), CODEC.write(new JsonValue.Obj(doc)));
    }
  }

  @Nested
  class Directory extends FileSource {
    @Override
    Path path() {
      return dir;
    }

    /** One file per definition; only files whose contents changed are rewritten. */
    @Override
    void write() throws Exception {
      Map<String, String> wanted = new LinkedHashMap<>();
      flags
          .values()
          .forEach(
              f ->
                  wanted.put(
                      "flag-" + f.key() + ".json",
                      CODEC.encode(new FlagSet(Map.of(f.key(), f), Map.of()))));
      segments
          .values()
          .forEach(
              s ->
                  wanted.put(
                      "segment-" + s.key() + ".json",
                      CODEC.encode(new FlagSet(Map.of(), Map.of(s.key(), s)))));
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          if (!wanted.containsKey(file.getFileName().toString())) {
            Files.delete(file);
          }
        }
      }
      for (Map.Entry<String, String> e : wanted.entrySet()) {
        Path file = dir.resolve(e.getKey());
        if (!Files.exists(file) || !Files.readString(file).equals(e.getValue())) {
          writeAtomically(file, e.getValue());
        }
      }
    }

    @Override
    protected void writeMalformedFlag(String key) throws Exception {
      writeAtomically(
          dir.resolve("flag-" + key + ".json"),
          "{\"flags\": {\"" + key + "\": " + MALFORMED_FLAG + "}}");
    }
  }
}
