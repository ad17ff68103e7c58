package dev.flags.cli;

/** flagctl's exit codes, as docs/flagctl.md documents them. */
final class Exit {
  static final int OK = 0;
  static final int NOT_FOUND = 1;
  static final int INVALID = 2;
  static final int CONFLICT = 3;
  static final int UNREACHABLE = 4;
  static final int REFUSED = 5;

  private Exit() {}

  /** The word --json output uses for a code. */
  static String name(int code) {
    return switch (code) {
      case OK -> "ok";
      case NOT_FOUND -> "not-found";
      case INVALID -> "invalid-input";
      case CONFLICT -> "conflict";
      case UNREACHABLE -> "store-unreachable";
      case REFUSED -> "refused";
      default -> "error";
    };
  }
}
