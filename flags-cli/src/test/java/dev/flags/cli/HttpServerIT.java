package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flagctl --server where no admin API answers: nothing listening, a web server without the API, and
 * URLs flagctl refuses. (The API itself: AdminApiCommandsContract.)
 */
class HttpServerIT {

  @TempDir Path tmp;

  @Test
  void nothingListeningIsExit4InOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/flags/api";
    Shell.Result r = new Shell(tmp).run("kill", "x", "--server", url);
    assertThat(r.code()).isEqualTo(Exit.UNREACHABLE);
    assertThat(r.errorLine())
        .isEqualTo(
            "flagctl: cannot connect to server "
                + url
                + " (connection refused); check the address and that it is up (flagctl profile"
                + " show says where the settings come from); nothing was written");
  }

  @Test
  void aServerWithoutTheApiIsNamedAsSuch() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "<html>not here</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/wrong";
      Shell.Result r = new Shell(tmp).run("list", "--server", url);
      assertThat(r.code()).isEqualTo(Exit.UNREACHABLE);
      assertThat(r.err())
          .isEqualTo(
              "flagctl: server "
                  + url
                  + " has no admin API there (404); check the URL: it ends with the admin path,"
                  + " /flags/api by default\n");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void credentialsInTheUrlOrAnotherSchemeAreRefused() throws Exception {
    Shell sh = new Shell(tmp);
    Shell.Result creds = sh.run("list", "--server", "https://bob:s3cr3t@app.example/flags/api");
    assertThat(creds.code()).isEqualTo(Exit.INVALID);
    assertThat(creds.err())
        .isEqualTo(
            "flagctl: --server: put no credentials in the URL; use FLAGCTL_TOKEN, or"
                + " FLAGCTL_SERVER_USER and FLAGCTL_SERVER_PASSWORD (or the profile's token,"
                + " server-user, server-password)\n")
        .doesNotContain("s3cr3t");
    Shell.Result scheme = sh.run("list", "--server", "ftp://app.example/flags/api");
    assertThat(scheme.code()).isEqualTo(Exit.INVALID);
  }
}
