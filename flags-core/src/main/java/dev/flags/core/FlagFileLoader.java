package dev.flags.core;

import dev.flags.core.json.FlagCodec;
import dev.flags.core.json.FlagFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a flag source (a JSON file, a directory of them, or a classpath resource) into a {@link
 * FlagSet}, in two steps so the caller can skip the second: {@link #read()} takes the bytes and a
 * fingerprint of them, {@link #decode(Contents)} parses and validates. Not thread-safe: used by the
 * store's one thread.
 */
final class FlagFileLoader {

  /**
   * What the directory source reads: {@code *.json} files that are not hidden (editor temp files).
   */
  static boolean isFlagFileName(String name) {
    return name.endsWith(".json") && !name.startsWith(".") && !name.startsWith("#");
  }

  /**
   * One file's bytes.
   *
   * @param name the file name, which orders a directory's files
   * @param label where it is, for messages: the path, or {@code classpath:name}
   */
  // Never compared or hashed: a holder of what was read.
  @SuppressWarnings("ArrayRecordComponent")
  record RawFile(String name, String label, byte[] bytes) {}

  /**
   * The raw state of the source.
   *
   * @param fingerprint equal for equal contents (names and bytes), so an unchanged source is not
   *     decoded, and a bad version is reported once
   * @param files the files read, sorted by name; empty when {@code missing}
   * @param missing a message when there is nothing to read (no file, no resource)
   */
  record Contents(String fingerprint, List<RawFile> files, Optional<String> missing) {}

  /** The file system view the poller compares: names, modification times and sizes. */
  record FileStat(String name, long modifiedMillis, long size) {}

  /** The source could not be decoded; the message names the file and says where and what. */
  static final class LoadException extends Exception {
    LoadException(String message) {
      super(message, null, false, false);
    }
  }

  private final Optional<Path> path;
  private final Optional<String> resource;
  private final ClassLoader classLoader;
  private final FlagCodec codec;

  private FlagFileLoader(
      Optional<Path> path, Optional<String> resource, ClassLoader classLoader, FlagCodec codec) {
    this.path = path;
    this.resource = resource;
    this.classLoader = classLoader;
    this.codec = codec;
  }

  static FlagFileLoader ofPath(Path path, FlagCodec codec) {
    return new FlagFileLoader(
        Optional.of(path), Optional.empty(), FlagFileLoader.class.getClassLoader(), codec);
  }

  static FlagFileLoader ofResource(String resource, ClassLoader classLoader, FlagCodec codec) {
    return new FlagFileLoader(Optional.empty(), Optional.of(resource), classLoader, codec);
  }

  /** The file system of the path, where a watch service must come from. */
  java.nio.file.FileSystem fileSystem() {
    return path.map(Path::getFileSystem).orElseGet(java.nio.file.FileSystems::getDefault);
  }

  /** The file or directory read; empty for a classpath resource. */
  Optional<Path> path() {
    return path;
  }

  /** The classpath resource read; empty for a path. */
  Optional<String> resource() {
    return resource;
  }

  ClassLoader classLoader() {
    return classLoader;
  }

  FlagCodec codec() {
    return codec;
  }

  boolean isClasspath() {
    return resource.isPresent();
  }

  /** The source for messages: the path, or {@code classpath:name}. */
  String describe() {
    return path.map(Path::toString).orElseGet(() -> "classpath:" + resource.orElseThrow());
  }

  /**
   * The directory a watch service should watch: the source itself if a directory, else its parent.
   */
  Optional<Path> directoryToWatch() {
    if (path.isEmpty()) {
      return Optional.empty();
    }
    Path p = path.get();
    if (Files.isDirectory(p)) {
      return Optional.of(p);
    }
    Path parent = p.toAbsolutePath().getParent();
    return parent != null && Files.isDirectory(parent) ? Optional.of(parent) : Optional.empty();
  }

  /**
   * Reads every byte of the source.
   *
   * @throws IOException when a file exists but cannot be read
   */
  Contents read() throws IOException {
    if (resource.isPresent()) {
      try (InputStream in = classLoader.getResourceAsStream(resource.get())) {
        if (in == null) {
          return missing("classpath resource not found: " + resource.get());
        }
        return contents(List.of(new RawFile(resource.get(), describe(), in.readAllBytes())));
      }
    }
    Path p = path.orElseThrow();
    if (!Files.exists(p)) {
      return missing("file not found: " + p);
    }
    if (!Files.isDirectory(p)) {
      try {
        return contents(List.of(new RawFile(name(p), p.toString(), Files.readAllBytes(p))));
      } catch (NoSuchFileException e) {
        return missing("file not found: " + p); // deleted between the check and the read
      }
    }
    List<RawFile> files = new ArrayList<>();
    for (Path file : listFlagFiles(p)) {
      try {
        files.add(new RawFile(name(file), file.toString(), Files.readAllBytes(file)));
      } catch (NoSuchFileException e) {
        // Removed while we listed: a change is in progress, and the watcher will call again.
      }
    }
    return contents(files);
  }

  /**
   * The names, modification times and sizes of the files, for the poller; empty when the source is
   * missing or a classpath resource.
   */
  Optional<List<FileStat>> stat() {
    if (path.isEmpty() || !Files.exists(path.get())) {
      return Optional.empty();
    }
    Path p = path.get();
    try {
      List<Path> files = Files.isDirectory(p) ? listFlagFiles(p) : List.of(p);
      List<FileStat> stats = new ArrayList<>(files.size());
      for (Path file : files) {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          stats.add(
              new FileStat(
                  name(file), attributes.lastModifiedTime().toMillis(), attributes.size()));
        } catch (NoSuchFileException e) {
          // Removed while we listed; the next stat sees the difference.
        }
      }
      return Optional.of(List.copyOf(stats));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses and validates the contents as one flag set. A directory's files are merged: a key
   * defined in two files is an error, and a flag may use a segment or prerequisite of another file.
   *
   * @throws LoadException naming the file, the JSON path and the problem
   */
  FlagSet decode(Contents contents) throws LoadException {
    if (contents.missing().isPresent()) {
      throw new LoadException(contents.missing().get());
    }
    List<RawFile> files = contents.files();
    if (files.isEmpty()) {
      return FlagSet.EMPTY;
    }
    if (files.size() == 1) {
      RawFile file = files.get(0);
      try {
        return codec.decodeFlagSet(file.bytes());
      } catch (RuntimeException e) {
        throw new LoadException(where(file) + message(e));
      }
    }
    return decodeMerged(files);
  }

  private FlagSet decodeMerged(List<RawFile> files) throws LoadException {
    Map<String, JsonValue> flags = new LinkedHashMap<>();
    Map<String, JsonValue> segments = new LinkedHashMap<>();
    Map<String, RawFile> owners = new LinkedHashMap<>(); // "flags.k" / "segments.k" -> file
    for (RawFile file : files) {
      JsonValue document;
      try {
        document = codec.parse(file.bytes());
      } catch (RuntimeException e) {
        throw new LoadException(where(file) + message(e));
      }
      if (!(document instanceof JsonValue.Obj root)) {
        throw new LoadException(
            where(file) + "a flag file is an object with \"flags\" and \"segments\"");
      }
      merge(file, root, "flags", flags, owners);
      merge(file, root, "segments", segments, owners);
    }
    Map<String, JsonValue> merged = new LinkedHashMap<>();
    merged.put("flags", new JsonValue.Obj(flags));
    merged.put("segments", new JsonValue.Obj(segments));
    try {
      return codec.decodeFlagSet(codec.write(new JsonValue.Obj(merged)));
    } catch (RuntimeException e) {
      throw new LoadException(explainMergedError(e, owners));
    }
  }

  private static void merge(
      RawFile file,
      JsonValue.Obj root,
      String member,
      Map<String, JsonValue> into,
      Map<String, RawFile> owners)
      throws LoadException {
    JsonValue value = root.members().get(member);
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonValue.Obj entries)) {
      throw new LoadException(where(file) + member + ": expected an object of definitions by key");
    }
    for (Map.Entry<String, JsonValue> e : entries.members().entrySet()) {
      String id = member + "." + e.getKey();
      RawFile previous = owners.putIfAbsent(id, file);
      if (previous != null) {
        String kind = member.equals("flags") ? "flag" : "segment";
        throw new LoadException(
            where(file)
                + id
                + ": "
                + kind
                + " \""
                + e.getKey()
                + "\" is also defined in "
                + previous.label());
      }
      into.put(e.getKey(), e.getValue());
    }
  }

  /**
   * An error in the merged document has line numbers of a document nobody wrote; name the file that
   * holds the definition instead, and take the file's own message (with its line) when that file
   * alone fails the same way.
   */
  private String explainMergedError(RuntimeException e, Map<String, RawFile> owners) {
    String path =
        e instanceof FlagFormatException f
            ? f.path()
            : e instanceof FlagValidationException v ? v.path() : "";
    String problem =
        e instanceof FlagFormatException f
            ? f.problem()
            : e instanceof FlagValidationException v ? v.problem() : message(e);
    RawFile owner = null;
    int longest = -1;
    for (Map.Entry<String, RawFile> o : owners.entrySet()) {
      String id = o.getKey();
      boolean matches = path.equals(id) || path.startsWith(id + ".") || path.startsWith(id + "[");
      if (matches && id.length() > longest) {
        owner = o.getValue();
        longest = id.length();
      }
    }
    String located = path.isEmpty() ? problem : path + ": " + problem;
    if (owner == null) {
      return located;
    }
    try {
      codec.decodeFlagSet(owner.bytes());
    } catch (FlagFormatException alone) {
      if (alone.path().equals(path)) {
        return where(owner) + alone.getMessage();
      }
    } catch (RuntimeException ignored) {
      // The file alone fails differently (a reference to another file): keep the merged message.
    }
    return where(owner) + located;
  }

  private static String where(RawFile file) {
    return file.label() + ": ";
  }

  private static String message(RuntimeException e) {
    if (e instanceof IllegalArgumentException && e.getMessage() != null) {
      return e.getMessage();
    }
    return "unexpected "
        + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static List<Path> listFlagFiles(Path directory) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path file : stream) {
        if (isFlagFileName(name(file)) && Files.isRegularFile(file)) {
          files.add(file);
        }
      }
    }
    files.sort((a, b) -> name(a).compareTo(name(b)));
    return files;
  }

  private static String name(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  private static Contents missing(String message) {
    return new Contents("missing", List.of(), Optional.of(message));
  }

  /** Contents of these files, sorted by name; for checking files before they are written. */
  static Contents contents(List<RawFile> files) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (RawFile file : files) {
      digest.update(file.name().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(Long.toString(file.bytes().length).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(file.bytes());
    }
    return new Contents(
        HexFormat.of().formatHex(digest.digest()), List.copyOf(files), Optional.empty());
  }
}
