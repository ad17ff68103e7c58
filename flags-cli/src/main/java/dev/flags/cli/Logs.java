package dev.flags.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the SDK's and Jedis's log lines out of flagctl's output: the client and the stores log
 * through System.Logger (java.util.logging here), and what they would say — a store's problem, a
 * flag past its kill date — flagctl reports itself, in its own words. FLAGCTL_LOG=1 lets them
 * through, for debugging. Called before flagctl starts a client or a store, not on the way of a
 * plain get.
 */
final class Logs {
  private static volatile boolean done;

  private Logs() {}

  static void quiet() {
    if (done) {
      return;
    }
    done = true;
    String log = System.getenv("FLAGCTL_LOG");
    if (log != null && !log.isBlank() && !log.equals("0")) {
      return;
    }
    // Jedis logs through SLF4J, and flagctl.jar carries no SLF4J backend: without one, SLF4J
    // prints three warning lines. Its own no-op provider, chosen explicitly, prints nothing.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    Logger root = Logger.getLogger("");
    root.setLevel(Level.OFF);
    for (java.util.logging.Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
  }
}
