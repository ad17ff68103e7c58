package dev.flags.cli;

import dev.flags.core.FlagSet;
import dev.flags.core.json.FlagCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a flag file given to validate, diff or import, with one-line errors. */
final class FlagFiles {
  /** Like import: operators this version does not know are refused. */
  private static final FlagCodec STRICT = FlagCodec.builder().rejectUnknownOperators(true).build();

  private FlagFiles() {}

  /**
   * The flag set in {@code file}.
   *
   * @param writes whether the command would write (its errors then say nothing was)
   * @throws CliException (invalid input) when it cannot be read or is not a valid flag file
   */
  static FlagSet read(String file, boolean writes) {
    String nothing = writes ? "; nothing was written" : "";
    Path p = Path.of(file);
    if (Files.isDirectory(p)) {
      throw CliException.invalid(
          file
              + " is a directory: give one flag file (a JSON document {\"flags\": {…}})"
              + nothing);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw CliException.invalid(file + " does not exist; check the path" + nothing);
    } catch (IOException e) {
      throw CliException.invalid("cannot read " + file + ": " + e.getMessage() + nothing);
    }
    try {
      return STRICT.decodeFlagSet(bytes);
    } catch (IllegalArgumentException e) {
      throw CliException.invalid(
          file
              + ": "
              + e.getMessage()
              + "; fix the file and check it with flagctl validate "
              + file
              + nothing);
    }
  }
}
