package dev.flags.redis.bench;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One instance of {@link PropagationBenchmark} with a {@code floor:} classpath: the least any Java
 * client can do to hear a change, with no SDK and no Redis client library. Two plain sockets: one
 * {@code PSUBSCRIBE}d to the flag key's keyspace notifications and the changes channel, one for
 * commands. A keyspace notification is followed by a {@code GET} of the key (the value is not in
 * the notification), a message on the channel is taken as it is; either way the time is recorded on
 * the reading thread, with no hop to another thread.
 *
 * <p>Output: {@code ready}; after {@code dump} on standard input, one {@code seen <nanoTime>
 * <value>} per change and {@code end}.
 */
public final class FloorChild {

  private FloorChild() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String key = args[2];
    String channel = args[3];
    int capacity = Integer.parseInt(args[4]);
    long[] at = new long[capacity];
    String[] values = new String[capacity];
    int[] count = {0};
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Socket sub = new Socket(host, port);
        Socket cmd = new Socket(host, port)) {
      sub.setTcpNoDelay(true);
      cmd.setTcpNoDelay(true);
      InputStream subIn = new BufferedInputStream(sub.getInputStream());
      InputStream cmdIn = new BufferedInputStream(cmd.getInputStream());
      OutputStream cmdOut = cmd.getOutputStream();
      send(sub.getOutputStream(), "PSUBSCRIBE", "__keyspace@0__:" + key, channel);
      read(subIn);
      read(subIn);
      Thread reader =
          new Thread(
              () -> {
                try {
                  while (true) {
                    List<?> m = (List<?>) read(subIn);
                    String ch = (String) m.get(2);
                    String value;
                    if (ch.equals(channel)) {
                      value = (String) m.get(3);
                    } else {
                      send(cmdOut, "GET", key);
                      value = String.valueOf(read(cmdIn));
                    }
                    long now = System.nanoTime();
                    synchronized (count) {
                      if (count[0] < capacity) {
                        at[count[0]] = now;
                        values[count[0]++] = value;
                      }
                    }
                  }
                } catch (IOException | RuntimeException closed) {
                  // the benchmark is over
                }
              },
              "floor-reader");
      reader.setDaemon(true);
      reader.start();
      out.println("ready");
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("dump")) {
        // "start" and the like: nothing to count here
      }
      synchronized (count) {
        for (int i = 0; i < count[0]; i++) {
          out.println("seen " + at[i] + " " + values[i]);
        }
      }
      out.println("end");
    }
  }

  private static void send(OutputStream out, String... parts) throws IOException {
    StringBuilder sb = new StringBuilder("*").append(parts.length).append("\r\n");
    for (String p : parts) {
      byte[] b = p.getBytes(StandardCharsets.UTF_8);
      sb.append('$').append(b.length).append("\r\n").append(p).append("\r\n");
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One RESP2 reply: a String, a Long, null, or a List of those. */
  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("closed");
    }
    String line = line(in);
    switch (type) {
      case '+', '-':
        return line;
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return "null";
          }
          byte[] b = in.readNBytes(n + 2);
          return new String(b, 0, n, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          List<Object> list = new ArrayList<>(Math.max(n, 0));
          for (int i = 0; i < n; i++) {
            list.add(read(in));
          }
          return list;
        }
      default:
        throw new IOException("unexpected reply type " + (char) type);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("closed");
      }
      sb.append((char) c);
    }
    in.read(); // '\n'
    return sb.toString();
  }
}
