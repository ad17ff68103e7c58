package dev.flags.core;

/** Placeholder until the strict SemVer parser lands (branch hash). */
final class SemanticVersion implements Comparable<SemanticVersion> {
  private SemanticVersion() {}

  static SemanticVersion parse(String text) {
    return null;
  }

  @Override
  public int compareTo(SemanticVersion o) {
    return 0;
  }
}
