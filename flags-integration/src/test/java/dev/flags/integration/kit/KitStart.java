package dev.flags.integration.kit;

import dev.flags.integration.FlagsConfigurationException;

/** Helpers for applications the kit expects not to start. */
public final class KitStart {

  /** Something that starts an application. */
  @FunctionalInterface
  public interface Starter {
    KitApplication start() throws Exception;
  }

  private KitStart() {}

  /** The failure of a start that must fail; closes the application if it started after all. */
  public static Throwable failure(Starter starter) {
    KitApplication app;
    try {
      app = starter.start();
    } catch (Throwable t) {
      return t;
    }
    app.close();
    throw new AssertionError("the application started; it should have failed");
  }

  /** The {@link FlagsConfigurationException} in a failure's cause chain. */
  public static FlagsConfigurationException configurationError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof FlagsConfigurationException e) {
        return e;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    throw new AssertionError("no FlagsConfigurationException in the cause chain", failure);
  }
}
