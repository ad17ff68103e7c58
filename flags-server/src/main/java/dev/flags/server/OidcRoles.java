package dev.flags.server;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.core.user.OAuth2UserAuthority;

/**
 * Gives users who signed in with OpenID Connect the flags roles from a claim of their ID token or
 * user info: {@code flags.server.oidc.role-claim} (default {@code groups}) holding any of {@code
 * flags.server.oidc.editor-values} makes an editor, any of {@code flags.server.oidc.viewer-values}
 * a viewer; anyone else signs in but sees nothing (403). Immutable and thread-safe.
 */
final class OidcRoles implements GrantedAuthoritiesMapper {

  private final String claim;
  private final Set<String> editors;
  private final Set<String> viewers;
  private final String editorRole;
  private final String viewerRole;

  OidcRoles(
      String claim,
      List<String> editors,
      List<String> viewers,
      String editorRole,
      String viewerRole) {
    this.claim = claim;
    this.editors = Set.copyOf(editors);
    this.viewers = Set.copyOf(viewers);
    this.editorRole = editorRole;
    this.viewerRole = viewerRole;
  }

  @Override
  public Collection<? extends GrantedAuthority> mapAuthorities(
      Collection<? extends GrantedAuthority> authorities) {
    Set<GrantedAuthority> out = new HashSet<>(authorities);
    for (GrantedAuthority a : authorities) {
      Map<String, Object> claims =
          a instanceof OidcUserAuthority o
              ? o.getIdToken().getClaims()
              : a instanceof OAuth2UserAuthority u ? u.getAttributes() : Map.of();
      Set<String> values = values(claims.get(claim));
      if (a instanceof OidcUserAuthority o && o.getUserInfo() != null) {
        values.addAll(values(o.getUserInfo().getClaims().get(claim)));
      }
      if (values.stream().anyMatch(editors::contains)) {
        out.add(new SimpleGrantedAuthority("ROLE_" + editorRole));
      }
      if (values.stream().anyMatch(viewers::contains)) {
        out.add(new SimpleGrantedAuthority("ROLE_" + viewerRole));
      }
    }
    return out;
  }

  /** A claim's values: a list of texts, or one text (space- or comma-separated). */
  static Set<String> values(@Nullable Object claim) {
    Set<String> out = new HashSet<>();
    if (claim instanceof Collection<?> c) {
      c.forEach(v -> out.add(String.valueOf(v)));
    } else if (claim instanceof String s) {
      for (String v : s.split("[,\\s]+")) {
        if (!v.isEmpty()) {
          out.add(v);
        }
      }
    }
    return out;
  }
}
