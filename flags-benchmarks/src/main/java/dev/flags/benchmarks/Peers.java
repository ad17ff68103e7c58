package dev.flags.benchmarks;

/** What the peer SDKs share in these benchmarks. */
final class Peers {

  /**
   * Where the peers' service URLs point: port 1 on the loopback interface, which nothing listens
   * on, so a connection the configuration failed to prevent is refused at once, never sent out.
   */
  static final String CLOSED_PORT_URL = "http://127.0.0.1:1";

  private Peers() {}
}
