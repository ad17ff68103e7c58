package dev.flags.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

/** The claim → role mapping of OpenID Connect users, on Spring Security's own token types. */
class OidcRolesTest {

  final OidcRoles roles =
      new OidcRoles(
          "groups",
          List.of("release-managers"),
          List.of("support"),
          "FLAGS_EDITOR",
          "FLAGS_VIEWER");

  Set<String> authoritiesOf(Object groups) {
    OidcIdToken token =
        new OidcIdToken(
            "token",
            Instant.now(),
            Instant.now().plusSeconds(60),
            groups == null ? Map.of("sub", "u1") : Map.of("sub", "u1", "groups", groups));
    return roles.mapAuthorities(List.of(new OidcUserAuthority(token))).stream()
        .map(GrantedAuthority::getAuthority)
        .collect(Collectors.toSet());
  }

  @Test
  void aGroupListMakesEditorsAndViewers() {
    assertThat(authoritiesOf(List.of("staff", "release-managers"))).contains("ROLE_FLAGS_EDITOR");
    assertThat(authoritiesOf(List.of("support")))
        .contains("ROLE_FLAGS_VIEWER")
        .doesNotContain("ROLE_FLAGS_EDITOR");
  }

  @Test
  void aSpaceSeparatedClaimIsReadToo() {
    assertThat(authoritiesOf("staff support")).contains("ROLE_FLAGS_VIEWER");
  }

  @Test
  void anyoneElseGetsNoFlagsRole() {
    assertThat(authoritiesOf(List.of("staff")))
        .doesNotContain("ROLE_FLAGS_EDITOR", "ROLE_FLAGS_VIEWER");
    assertThat(authoritiesOf(null)).doesNotContain("ROLE_FLAGS_EDITOR", "ROLE_FLAGS_VIEWER");
  }
}
