package dev.flags.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class ServerUsersTest {

  static final String HASH = new BCryptPasswordEncoder(4).encode("correct horse battery");

  static ServerUsers users(Map<String, Object> properties) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", properties));
    return ServerUsers.from(env);
  }

  @Test
  void readsRoleAndHashOfEachUser() {
    ServerUsers u =
        users(
            Map.of(
                "flags.server.users.alice", "editor:" + HASH,
                "flags.server.users.victor", "viewer:{bcrypt}" + HASH));
    assertThat(u.users().get("alice").editor()).isTrue();
    assertThat(u.users().get("victor").editor()).isFalse();
    assertThat(u.users().get("victor").hash()).isEqualTo(HASH);
    assertThat(u.toString()).doesNotContain(HASH);
  }

  @Test
  void noUsersIsEmptyNotAnError() {
    assertThat(users(Map.of()).isEmpty()).isTrue();
  }

  @Test
  void aPasswordInsteadOfAHashFailsNamingTheUserNeverShowingIt() {
    assertThatThrownBy(() -> users(Map.of("flags.server.users.bob", "editor:hunter2-plain-text")))
        .hasMessageContaining("flags.server.users.bob")
        .hasMessageContaining("hash-password")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void aRoleOtherThanViewerOrEditorFails() {
    assertThatThrownBy(() -> users(Map.of("flags.server.users.bob", "admin:" + HASH)))
        .hasMessageContaining("viewer: or editor:")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(HASH));
  }
}
