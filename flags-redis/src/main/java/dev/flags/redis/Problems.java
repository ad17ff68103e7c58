package dev.flags.redis;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Damaged internal keys and other lasting problems of the data in Redis (not of the connection),
 * each reported once: one log line when first seen, and listed in the status detail while it lasts.
 * Keyed by what is damaged ({@code feature:#counter}), so a repaired key can be cleared.
 *
 * <p>Thread-safe.
 */
final class Problems {

  private final Map<String, String> current = new LinkedHashMap<>();
  private Runnable onChange = () -> {};

  synchronized void onChange(Runnable r) {
    this.onChange = r;
  }

  /** Notes a problem of {@code what}; logs it if it is new or different. */
  void report(String what, String problem) {
    Runnable notify;
    synchronized (this) {
      if (problem.equals(current.get(what))) {
        return;
      }
      current.put(what, problem);
      notify = onChange;
    }
    StoreLog.log().log(Level.WARNING, problem);
    notify.run();
  }

  /** {@code what} is readable again. */
  void clear(String what) {
    Runnable notify;
    synchronized (this) {
      if (current.remove(what) == null) {
        return;
      }
      notify = onChange;
    }
    StoreLog.log().log(Level.INFO, what + " reads correctly again");
    notify.run();
  }

  /** The problems, for the status detail; "" when none. */
  synchronized String summary() {
    return String.join("; ", current.values());
  }
}
