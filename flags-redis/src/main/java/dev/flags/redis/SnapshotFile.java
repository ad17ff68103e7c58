package dev.flags.redis;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.StoreSnapshot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last-known-good file: {@code {"flags": {...}, "segments": {...}}}, written atomically (a
 * temporary file moved into place) from the replica, and read when Redis is unreachable at start.
 * On a read-only file system it stops writing after saying so once.
 *
 * <p>Worker-confined: only the store's worker thread uses it.
 */
final class SnapshotFile {

  private final Path file;
  private final FlagCodec codec;
  private boolean writable = true;

  SnapshotFile(Path file, FlagCodec codec) {
    this.file = file;
    this.codec = codec;
  }

  Path path() {
    return file;
  }

  boolean writable() {
    return writable;
  }

  boolean readable() {
    return Files.isReadable(file);
  }

  /** Writes the valid flags and segments of {@code entries} (cache key → entry, sorted). */
  void write(Map<String, CacheEntry> entries) {
    StringBuilder flags = new StringBuilder();
    StringBuilder segments = new StringBuilder();
    for (Map.Entry<String, CacheEntry> e : entries.entrySet()) {
      if (e.getValue() instanceof CacheEntry.Present p) {
        flags
            .append(flags.length() == 0 ? "\n" : ",\n")
            .append("  \"")
            .append(e.getKey())
            .append("\": ")
            .append(codec.encode(p.flag()));
      } else if (e.getValue() instanceof CacheEntry.PresentSegment p) {
        segments
            .append(segments.length() == 0 ? "\n" : ",\n")
            .append("  \"")
            .append(p.segment().key())
            .append("\": ")
            .append(codec.encode(p.segment()));
      }
    }
    String sb = "{\"flags\": {" + flags + "\n},\n\"segments\": {" + segments + "\n}}\n";
    try {
      Path dir = file.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | RuntimeException e) {
      // A read-only file system is a supported set-up: stop trying, say so once.
      writable = false;
      StoreLog.log().log(
          Level.WARNING,
          "cannot write flag snapshot file "
              + file
              + " ("
              + StoreLog.describe(e)
              + "); not writing it again");
    }
  }

  /** Reads the file; a flag or segment that does not decode is skipped with a warning. */
  StoreSnapshot read() throws IOException {
    JsonValue doc = codec.parse(Files.readString(file, StandardCharsets.UTF_8));
    if (!(doc instanceof JsonValue.Obj root)
        || !(root.members().get("flags") instanceof JsonValue.Obj entries)) {
      throw new IOException(
          "not a flag snapshot: expected {\"flags\": {...}, \"segments\": {...}}");
    }
    Map<String, Flag> flags = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : entries.members().entrySet()) {
      try {
        flags.put(e.getKey(), codec.decodeFlag(e.getKey(), codec.write(e.getValue())));
      } catch (RuntimeException bad) {
        StoreLog.log().log(
            Level.WARNING,
            "snapshot file "
                + file
                + ": skipping flag "
                + e.getKey()
                + ": "
                + StoreLog.describe(bad));
      }
    }
    Map<String, Segment> segments = new LinkedHashMap<>();
    if (root.members().get("segments") instanceof JsonValue.Obj segs) {
      for (Map.Entry<String, JsonValue> e : segs.members().entrySet()) {
        try {
          segments.put(e.getKey(), codec.decodeSegment(e.getKey(), codec.write(e.getValue())));
        } catch (RuntimeException bad) {
          StoreLog.log().log(
              Level.WARNING,
              "snapshot file "
                  + file
                  + ": skipping segment "
                  + e.getKey()
                  + ": "
                  + StoreLog.describe(bad));
        }
      }
    }
    return new StoreSnapshot(flags, segments, Map.of());
  }
}
