package dev.flags.examples.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that is not Redis: it answers every connection with an HTTP error and closes
 * it, as a web server at a wrong {@code flags.redis.url} would. Thread-safe; close it after use.
 */
public final class NotRedis implements AutoCloseable {

  private final ServerSocket socket;
  private final Thread acceptor;
  private final AtomicInteger connections = new AtomicInteger();

  private NotRedis(ServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::serve, "not-redis");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on a free loopback port. */
  public static NotRedis start() throws IOException {
    return new NotRedis(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  /** Its address as a Redis URL. */
  public String uri() {
    return "redis://127.0.0.1:" + socket.getLocalPort();
  }

  /** How many connections it has answered. */
  public int connections() {
    return connections.get();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        connections.incrementAndGet();
        OutputStream out = s.getOutputStream();
        out.write(
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // Closed, or the client went away: accept the next one, if still open.
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
