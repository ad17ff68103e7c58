package dev.flags.core;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A version of <a href="https://semver.org/spec/v2.0.0.html">Semantic Versioning 2.0.0</a>, parsed
 * strictly, ordered by the spec's precedence (§11). Used by the {@code semVer*} operators; see
 * {@code docs/operators.md}.
 *
 * <p>Accepted is exactly the grammar of the spec (its official regular expression), which means
 * these are <em>rejected</em> ({@link #parse} returns {@code null}):
 *
 * <ul>
 *   <li>a missing minor or patch ({@code 1}, {@code 1.2}) or an extra part ({@code 1.2.3.4});
 *   <li>a prefix or padding ({@code v1.2.3}, {@code =1.2.3}, {@code " 1.2.3"});
 *   <li>leading zeros in a numeric identifier ({@code 01.2.3}, {@code 1.2.3-alpha.01}; {@code
 *       1.2.3-0a} is fine, {@code 0a} being alphanumeric; build metadata may have leading zeros);
 *   <li>empty identifiers ({@code 1.2.3-}, {@code 1.2.3-a..b}, {@code 1.2.3+}, {@code 1..3});
 *   <li>characters other than ASCII letters, digits and hyphens in identifiers (so no non-ASCII
 *       letters and no non-ASCII digits such as {@code ١});
 *   <li>and, beyond the spec, a major, minor or patch above {@link Long#MAX_VALUE} (pre-release
 *       numbers may be any size: they are compared by length, then digit by digit).
 * </ul>
 *
 * <p>Build metadata is kept for {@link #toString()} but ignored by {@link #compareTo} and {@link
 * #equals}: {@code 1.0.0+a} and {@code 1.0.0+b} are equal, as the spec's precedence says. Immutable
 * and thread-safe.
 */
final class SemanticVersion implements Comparable<SemanticVersion> {
  /** What {@link #compareFrom} returns for a text that is not a version. */
  static final int INVALID = Integer.MIN_VALUE;

  private static final String[] NO_PRE_RELEASE = new String[0];

  private final long major;
  private final long minor;
  private final long patch;

  /** Pre-release identifiers; a numeric one is all digits (no leading zero), the others are not. */
  private final String[] preRelease;

  private final String text;

  private SemanticVersion(long major, long minor, long patch, String[] preRelease, String text) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.preRelease = preRelease;
    this.text = text;
  }

  /** The version in {@code text}, or {@code null} when it is not a strict SemVer 2.0.0 version. */
  static @Nullable SemanticVersion parse(String text) {
    int n = text.length();
    int plus = text.indexOf('+');
    int coreAndPreEnd = plus < 0 ? n : plus;
    if (plus >= 0 && !validIdentifiers(text, plus + 1, n, false)) {
      return null;
    }
    int dash = text.indexOf('-');
    if (dash > coreAndPreEnd) {
      dash = -1; // a hyphen inside build metadata
    }
    int coreEnd = dash < 0 ? coreAndPreEnd : dash;
    long[] core = new long[3];
    int start = 0;
    for (int part = 0; part < 3; part++) {
      int end = part < 2 ? text.indexOf('.', start) : coreEnd;
      if (end < 0 || end > coreEnd) {
        return null;
      }
      long value = parseNumber(text, start, end);
      if (value < 0) {
        return null;
      }
      core[part] = value;
      start = end + 1;
    }
    String[] pre = NO_PRE_RELEASE;
    if (dash >= 0) {
      if (!validIdentifiers(text, dash + 1, coreAndPreEnd, true)) {
        return null;
      }
      pre = text.substring(dash + 1, coreAndPreEnd).split("\\.");
    }
    return new SemanticVersion(core[0], core[1], core[2], pre, text);
  }

  /**
   * Compares the version written in {@code text} with this one, with the sign of {@code
   * parse(text).compareTo(this)}, without allocating: for attribute values read at evaluation time.
   *
   * @return negative, zero or positive as {@code text} is lower, equal or higher; {@link #INVALID}
   *     when {@code text} is not a version ({@link #parse} would return {@code null})
   */
  int compareFrom(String text) {
    int n = text.length();
    int plus = text.indexOf('+');
    int preEnd = plus < 0 ? n : plus;
    if (plus >= 0 && !validIdentifiers(text, plus + 1, n, false)) {
      return INVALID;
    }
    int dash = text.indexOf('-');
    if (dash > preEnd) {
      dash = -1;
    }
    int coreEnd = dash < 0 ? preEnd : dash;
    int dot1 = text.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : text.indexOf('.', dot1 + 1);
    if (dot1 < 0 || dot2 < 0 || dot2 > coreEnd) {
      return INVALID;
    }
    long ma = parseNumber(text, 0, dot1);
    long mi = parseNumber(text, dot1 + 1, dot2);
    long pa = parseNumber(text, dot2 + 1, coreEnd);
    if (ma < 0
        || mi < 0
        || pa < 0
        || (dash >= 0 && !validIdentifiers(text, dash + 1, preEnd, true))) {
      return INVALID;
    }
    int c = Long.compare(ma, major);
    if (c == 0) {
      c = Long.compare(mi, minor);
    }
    if (c == 0) {
      c = Long.compare(pa, patch);
    }
    if (c != 0) {
      return c;
    }
    boolean textPre = dash >= 0;
    boolean thisPre = preRelease.length > 0;
    if (!textPre || !thisPre) {
      return Integer.compare(thisPre ? 1 : 0, textPre ? 1 : 0);
    }
    int i = 0;
    int start = dash + 1;
    while (start <= preEnd) {
      int end = text.indexOf('.', start);
      if (end < 0 || end > preEnd) {
        end = preEnd;
      }
      if (i == preRelease.length) {
        return 1; // text has more identifiers, all earlier ones equal
      }
      c = compareIdentifiers(text, start, end, preRelease[i]);
      if (c != 0) {
        return c;
      }
      i++;
      start = end + 1;
    }
    return i < preRelease.length ? -1 : 0;
  }

  /** {@link #compareIdentifiers(String, String)} of {@code text[start, end)} and {@code b}. */
  private static int compareIdentifiers(String text, int start, int end, String b) {
    boolean an = isNumeric(text, start, end);
    boolean bn = isNumeric(b, 0, b.length());
    int len = end - start;
    if (an && bn) {
      int c = Integer.compare(len, b.length());
      for (int i = 0; c == 0 && i < len; i++) {
        c = Character.compare(text.charAt(start + i), b.charAt(i));
      }
      return c;
    }
    if (an != bn) {
      return an ? -1 : 1;
    }
    int common = Math.min(len, b.length());
    for (int i = 0; i < common; i++) {
      int c = Character.compare(text.charAt(start + i), b.charAt(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(len, b.length());
  }

  /** A major, minor or patch number: {@code 0} or digits without a leading zero; -1 if invalid. */
  private static long parseNumber(String s, int start, int end) {
    if (start >= end || (s.charAt(start) == '0' && end - start > 1)) {
      return -1;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * Whether {@code s[start, end)} is non-empty dot-separated identifiers of {@code [0-9A-Za-z-]};
   * in a pre-release, numeric identifiers must not have a leading zero.
   */
  private static boolean validIdentifiers(String s, int start, int end, boolean preRelease) {
    if (start >= end) {
      return false;
    }
    int idStart = start;
    boolean numeric = true;
    for (int i = start; i <= end; i++) {
      char c = i < end ? s.charAt(i) : '.';
      if (c == '.') {
        int len = i - idStart;
        if (len == 0) {
          return false;
        }
        if (preRelease && numeric && len > 1 && s.charAt(idStart) == '0') {
          return false;
        }
        idStart = i + 1;
        numeric = true;
      } else if (c >= '0' && c <= '9') {
        // still numeric if it was
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') {
        numeric = false;
      } else {
        return false;
      }
    }
    return true;
  }

  long major() {
    return major;
  }

  long minor() {
    return minor;
  }

  long patch() {
    return patch;
  }

  /** The pre-release identifiers, empty for a release. */
  List<String> preRelease() {
    return List.of(preRelease);
  }

  /** Precedence of SemVer 2.0.0 §11; build metadata does not count. */
  @Override
  public int compareTo(SemanticVersion o) {
    int c = Long.compare(major, o.major);
    if (c == 0) {
      c = Long.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, o.patch);
    }
    if (c != 0) {
      return c;
    }
    // A pre-release ranks below its release.
    if (preRelease.length == 0 || o.preRelease.length == 0) {
      return Integer.compare(o.preRelease.length == 0 ? 0 : 1, preRelease.length == 0 ? 0 : 1);
    }
    int common = Math.min(preRelease.length, o.preRelease.length);
    for (int i = 0; i < common; i++) {
      c = compareIdentifiers(preRelease[i], o.preRelease[i]);
      if (c != 0) {
        return c;
      }
    }
    // All shared fields equal: the longer set ranks higher.
    return Integer.compare(preRelease.length, o.preRelease.length);
  }

  private static int compareIdentifiers(String a, String b) {
    boolean an = isNumeric(a);
    boolean bn = isNumeric(b);
    if (an && bn) {
      // No leading zeros, so the longer number is the larger; equal lengths compare digit-wise.
      int c = Integer.compare(a.length(), b.length());
      return c != 0 ? c : a.compareTo(b);
    }
    if (an != bn) {
      return an ? -1 : 1; // numeric identifiers rank below alphanumeric ones
    }
    return a.compareTo(b); // ASCII only, so UTF-16 order is ASCII order
  }

  private static boolean isNumeric(String s) {
    return isNumeric(s, 0, s.length());
  }

  private static boolean isNumeric(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Equal precedence: build metadata is ignored, consistent with {@link #compareTo}. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SemanticVersion v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * Long.hashCode(major) + Long.hashCode(minor)) + Long.hashCode(patch))
        + Arrays.hashCode(preRelease);
  }

  /** The text this version was parsed from, build metadata included. */
  @Override
  public String toString() {
    return text;
  }
}
