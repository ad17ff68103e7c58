package dev.flags.core.archfixture;

import java.util.List;

/**
 * A public type leaking the hidden {@link Hidden} in every way ArchitectureTest must catch; it
 * proves the rule sees each of them. Test fixture only; not thread-safe.
 */
public class LeakyApi extends Base<Hidden> implements Comparable<List<Hidden>> {
  /** A leaking field. */
  public Hidden field;

  /** A leaking constructor. */
  public LeakyApi(Hidden h) {
    this.field = h;
  }

  /** A leaking generic return type. */
  public List<Hidden> list() {
    return List.of();
  }

  /** A leaking thrown type. */
  public void fail() throws HiddenException {}

  @Override
  public int compareTo(List<Hidden> o) {
    return 0;
  }
}

class Hidden {}

class HiddenException extends Exception {
  private static final long serialVersionUID = 1L;
}
