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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
  private volatile boolean reported;

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

  /**
   * Reads the file; a flag or segment that does not decode is skipped. When the document as a whole
   * does not parse (one bad number is enough), the entries are read one per line, as {@link #write}
   * puts them, so one bad flag never hides the others. Problems are logged once per store.
   */
  StoreSnapshot read() throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> skipped = new ArrayList<>();
    StoreSnapshot snapshot;
    try {
      snapshot = readDocument(text, skipped);
    } catch (RuntimeException | IOException whole) {
      snapshot = readLines(text, skipped);
      if (snapshot.flags().isEmpty() && snapshot.segments().isEmpty()) {
        throw whole instanceof IOException io ? io : new IOException(StoreLog.describe(whole));
      }
      skipped.add(
          0, "the document does not parse (" + StoreLog.describe(whole) + "), read line by line");
    }
    if (!skipped.isEmpty() && !reported) {
      reported = true;
      StoreLog.log().log(
          Level.WARNING, "snapshot file " + file + ": " + String.join("; ", skipped));
    }
    return snapshot;
  }

  private StoreSnapshot readDocument(String text, List<String> skipped) throws IOException {
    JsonValue doc = codec.parse(text);
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
        skipped.add("skipping flag " + e.getKey() + ": " + StoreLog.describe(bad));
      }
    }
    Map<String, Segment> segments = new LinkedHashMap<>();
    if (root.members().get("segments") instanceof JsonValue.Obj segs) {
      for (Map.Entry<String, JsonValue> e : segs.members().entrySet()) {
        try {
          segments.put(e.getKey(), codec.decodeSegment(e.getKey(), codec.write(e.getValue())));
        } catch (RuntimeException bad) {
          skipped.add("skipping segment " + e.getKey() + ": " + StoreLog.describe(bad));
        }
      }
    }
    return new StoreSnapshot(flags, segments, Map.of());
  }

  /** The entries of a file in {@link #write}'s layout: {@code "key": <json>,} per line. */
  private StoreSnapshot readLines(String text, List<String> skipped) {
    Map<String, Flag> flags = new LinkedHashMap<>();
    Map<String, Segment> segments = new LinkedHashMap<>();
    boolean inSegments = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("\"segments\"")) {
        inSegments = true;
        continue;
      }
      if (!line.startsWith("  \"")) {
        continue;
      }
      int close = line.indexOf("\": ", 3);
      if (close < 0) {
        continue;
      }
      String key = line.substring(3, close);
      String json = line.substring(close + 3).strip();
      if (json.endsWith(",")) {
        json = json.substring(0, json.length() - 1);
      }
      try {
        if (inSegments) {
          segments.put(key, codec.decodeSegment(key, json));
        } else {
          flags.put(key, codec.decodeFlag(key, json));
        }
      } catch (RuntimeException bad) {
        skipped.add(
            "skipping "
                + (inSegments ? "segment " : "flag ")
                + key
                + ": "
                + StoreLog.describe(bad));
      }
    }
    return new StoreSnapshot(flags, segments, Map.of());
  }
}
