package dev.flags.cli;

/** Keeps secrets out of everything flagctl prints. */
final class Mask {
  static final String MASK = "****";

  private Mask() {}

  /**
   * A URL with its password masked: everything between {@code ://} and the last {@code @} is the
   * user information (a password may itself hold '/', '?', '#' or '@'), and only the user before
   * its first ':' is kept.
   */
  static String url(String url) {
    if (url == null) {
      return "";
    }
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme + 3) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String kept = colon < 0 ? MASK : userInfo.substring(0, colon) + ":" + MASK;
    return url.substring(0, scheme + 3) + kept + url.substring(at);
  }

  /** A setting's value as it may be printed. */
  static String value(Key key, String value) {
    if (key.secret()) {
      return MASK;
    }
    if (key == Key.REDIS || key == Key.SERVER) {
      return url(value);
    }
    return value;
  }
}
