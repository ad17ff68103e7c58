package dev.flags.core;

import org.jspecify.annotations.Nullable;

/** A parsed CIDR range, IPv4 or IPv6, compared as bytes. */
final class Cidr {
  private final byte[] network;
  private final int prefixLength;

  private Cidr(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address; {@code null} if invalid.
   */
  static @Nullable Cidr parse(String text) {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = IpAddresses.parse(addr);
    if (bytes == null) {
      return null;
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      // ASCII digits only: Character.isDigit and Integer.parseInt also read "٨" as 8.
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      prefix = Integer.parseInt(p);
      if (prefix > max) {
        return null;
      }
    }
    return new Cidr(bytes, prefix);
  }

  /**
   * Whether the address (as bytes, 4 or 16) is in this range. IPv4 and IPv6 never match each other:
   * an IPv4-mapped IPv6 address is matched by IPv6 ranges such as {@code ::ffff:0:0/96}.
   */
  boolean contains(byte[] address) {
    if (address == null || address.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }
}
