package dev.flags.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** {@code hash-password} without a console: the password is the first line of standard input. */
class HashPasswordTest {

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String stdin, String... args) {
    return HashPassword.run(
        args,
        null,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsTheLineForTheUsersFileAndNeverThePassword() {
    assertThat(run("correct horse battery staple\n", "alice", "editor")).isZero();
    String line = out.toString(StandardCharsets.UTF_8).strip();
    assertThat(line).startsWith("flags.server.users.alice=editor:$2a$12$");
    assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
        .doesNotContain("correct horse");
    String hash = line.substring(line.indexOf(':') + 1);
    assertThat(new BCryptPasswordEncoder().matches("correct horse battery staple", hash)).isTrue();
    // What it prints is what the server reads.
    assertThat(
            ServerUsersTest.users(java.util.Map.of("flags.server.users.alice", "editor:" + hash))
                .users()
                .get("alice")
                .editor())
        .isTrue();
  }

  @Test
  void refusesAShortPassword() {
    assertThat(run("short\n", "bob", "viewer")).isEqualTo(1);
    assertThat(out.size()).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("12 characters or more");
  }

  @Test
  void refusesAnUnknownRole() {
    assertThat(run("correct horse battery staple\n", "bob", "admin")).isEqualTo(2);
    assertThat(out.size()).isZero();
  }
}
