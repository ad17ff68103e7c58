package dev.flags.cli;

import dev.flags.core.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A command ends with this exit code and this one-line message (what went wrong and what to do).
 * Immutable.
 */
final class CliException extends RuntimeException {

  private final int exitCode;
  private final transient Map<String, JsonValue> details;

  CliException(int exitCode, String message) {
    this(exitCode, message, Map.of(), null);
  }

  CliException(
      int exitCode, String message, Map<String, JsonValue> details, @Nullable Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  int exitCode() {
    return exitCode;
  }

  /** Extra members of the --json error document (currentVersion, changedBy…). */
  Map<String, JsonValue> details() {
    return details;
  }

  static CliException notFound(String message) {
    return new CliException(Exit.NOT_FOUND, message);
  }

  static CliException invalid(String message) {
    return new CliException(Exit.INVALID, message);
  }

  static CliException unreachable(String message) {
    return new CliException(Exit.UNREACHABLE, message);
  }
}
