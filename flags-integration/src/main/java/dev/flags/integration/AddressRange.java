package dev.flags.integration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CIDR block of IPv4 or IPv6 addresses ({@code 10.0.0.0/8}, {@code ::1/128}; a bare address is
 * its own block). Parses address literals only: a host name is refused, never looked up, so nothing
 * here waits on DNS. An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is the IPv4 address.
 * Immutable and thread-safe.
 */
final class AddressRange {

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

  private final byte[] network;
  private final int prefix;
  private final String text;

  private AddressRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Reads {@code address/prefix} or a bare address.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static AddressRange parse(String cidr) {
    String t = cidr.strip();
    int slash = t.indexOf('/');
    String addressText = slash < 0 ? t : t.substring(0, slash);
    byte[] address =
        literal(addressText)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "\"" + addressText + "\" is not an IPv4 or IPv6 address"));
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
        throw new IllegalArgumentException(
            "\"/" + p + "\" is not a prefix length from 0 to " + bits);
      }
      prefix = Integer.parseInt(p);
    }
    return new AddressRange(mask(address, prefix), prefix, t);
  }

  /** Whether {@code address} (a literal) is in this block; {@code false} for anything else. */
  boolean contains(String address) {
    Optional<byte[]> a = literal(address);
    return a.isPresent() && contains(a.get());
  }

  boolean contains(byte[] address) {
    return address.length == network.length
        && java.util.Arrays.equals(mask(address, prefix), network);
  }

  /** Whether this block holds every address of its family ({@code 0.0.0.0/0}, {@code ::/0}). */
  boolean isEverything() {
    return prefix == 0;
  }

  /** The bytes of an IPv4 or IPv6 literal, or empty for anything else (host names included). */
  static Optional<byte[]> literal(String text) {
    String t = text.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    boolean v4 = IPV4.matcher(t).matches();
    boolean v6 = !v4 && t.indexOf(':') >= 0 && IPV6.matcher(t).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      // A literal: InetAddress parses it without a lookup. Mapped IPv6 comes back as IPv4.
      return Optional.of(InetAddress.getByName(t).getAddress());
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code address} is a loopback literal ({@code 127.0.0.0/8}, {@code ::1}). */
  static boolean isLoopback(String address) {
    Optional<byte[]> a = literal(address);
    if (a.isEmpty()) {
      return false;
    }
    byte[] b = a.get();
    if (b.length == 4) {
      return b[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[15] == 1;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }
}
