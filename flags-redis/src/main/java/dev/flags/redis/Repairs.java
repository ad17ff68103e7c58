package dev.flags.redis;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Logs the repairs a script made of damaged internal keys: one WARNING line each, by the one caller
 * whose script made it (the script repairs before anything else, so the next script finds nothing
 * to repair).
 */
final class Repairs {

  private Repairs() {}

  private static final class Log {
    static final System.Logger LOG = System.getLogger("dev.flags.redis.Repairs");
  }

  /** Logs the notes of a script reply ({@code reply.get(0)}). */
  static void log(List<?> reply) {
    Object notes = reply.isEmpty() ? null : reply.get(0);
    if (notes instanceof List<?> list) {
      for (Object note : list) {
        Log.LOG.log(Level.WARNING, "flags-redis repaired a damaged internal key: " + note);
      }
    }
  }
}
