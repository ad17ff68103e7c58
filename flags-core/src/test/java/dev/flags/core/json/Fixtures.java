package dev.flags.core.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fixture files under {@code src/test/resources/fixtures/}. A file is named {@code
 * <kind>-<key>[.strict].json}: the kind says what to decode ({@code flag}, {@code segment}, {@code
 * set}), the key is passed to {@code decodeFlag}/{@code decodeSegment}, and {@code .strict} means a
 * codec that rejects unknown operators. An invalid fixture has a sibling {@code .error} file
 * holding the exact message.
 */
record Fixtures(Path file, String kind, String key, boolean strict) {

  static List<Fixtures> in(String dir) {
    Path root;
    try {
      root = Path.of(Fixtures.class.getResource("/fixtures/" + dir).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    try (Stream<Path> files = Files.list(root)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().map(Fixtures::of).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Fixtures of(Path file) {
    String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
    boolean strict = stem.endsWith(".strict");
    if (strict) {
      stem = stem.substring(0, stem.length() - ".strict".length());
    }
    int dash = stem.indexOf('-');
    if (dash < 0) {
      throw new IllegalStateException(
          "fixture " + file + " is not named <kind>-<key>[.strict].json");
    }
    return new Fixtures(file, stem.substring(0, dash), stem.substring(dash + 1), strict);
  }

  byte[] bytes() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String expectedError() {
    try {
      return Files.readString(
              file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", ".error")))
          .strip();
    } catch (IOException e) {
      throw new UncheckedIOException("missing .error file next to " + file, e);
    }
  }

  /** Decodes the file as its name says. */
  Object decode() {
    FlagCodec codec = FlagCodec.builder().rejectUnknownOperators(strict).build();
    return switch (kind) {
      case "flag" -> codec.decodeFlag(key, bytes());
      case "segment" -> codec.decodeSegment(key, bytes());
      case "set" -> codec.decodeFlagSet(bytes());
      default -> throw new IllegalStateException("unknown fixture kind " + kind + " in " + file);
    };
  }

  @Override
  public String toString() {
    return file.getFileName().toString();
  }
}
