package dev.flags.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.spring.FlagsProperties;
import jakarta.servlet.http.Cookie;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

class DefaultFlagContextResolverTest {

  private final FlagsProperties properties = new FlagsProperties();

  @AfterEach
  void clear() {
    SecurityContextHolder.clearContext();
    RequestContextHolder.resetRequestAttributes();
  }

  @Test
  void securityPrincipalComesFirst() {
    SecurityContextHolder.getContext()
        .setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(
                "alice", "n/a", AuthorityUtils.NO_AUTHORITIES));
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.addHeader("X-User-Id", "bob");
    EvaluationContext context = resolver(true).resolve(request, new MockHttpServletResponse());
    assertThat(context.key()).isEqualTo("alice");
    assertThat(context.anonymous()).isFalse();
  }

  @Test
  void anonymousSecurityTokenIsNotAUser() {
    SecurityContextHolder.getContext()
        .setAuthentication(
            new AnonymousAuthenticationToken(
                "k", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.addHeader("X-User-Id", "bob");
    assertThat(resolver(true).resolve(request, new MockHttpServletResponse()).key())
        .isEqualTo("bob");
  }

  @Test
  void withoutSpringSecurityTheHeaderIsUsed() {
    SecurityContextHolder.getContext()
        .setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(
                "alice", "n/a", AuthorityUtils.NO_AUTHORITIES));
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.addHeader("X-User-Id", "bob");
    assertThat(resolver(false).resolve(request, new MockHttpServletResponse()).key())
        .isEqualTo("bob");
  }

  @Test
  void headerNameIsConfigurable() {
    properties.getContext().setHeader("X-Customer");
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.addHeader("X-Customer", "c-9");
    assertThat(resolver(false).resolve(request, new MockHttpServletResponse()).key())
        .isEqualTo("c-9");
  }

  @Test
  void anonymousVisitorGetsAStickyCookie() {
    DefaultFlagContextResolver resolver = resolver(false);
    MockHttpServletResponse first = new MockHttpServletResponse();
    EvaluationContext firstVisit = resolver.resolve(new MockHttpServletRequest(), first);
    assertThat(firstVisit.anonymous()).isTrue();
    Cookie cookie = first.getCookie("flags_visitor");
    assertThat(cookie).isNotNull();
    assertThat(cookie.getValue()).isEqualTo(firstVisit.key());
    assertThat(cookie.isHttpOnly()).isTrue();

    MockHttpServletRequest second = new MockHttpServletRequest();
    second.setCookies(cookie);
    MockHttpServletResponse secondResponse = new MockHttpServletResponse();
    assertThat(resolver.resolve(second, secondResponse).key()).isEqualTo(firstVisit.key());
    assertThat(secondResponse.getCookies()).isEmpty();
  }

  @Test
  void differentVisitorsGetDifferentIds() {
    DefaultFlagContextResolver resolver = resolver(false);
    String a = resolver.resolve(new MockHttpServletRequest(), new MockHttpServletResponse()).key();
    String b = resolver.resolve(new MockHttpServletRequest(), new MockHttpServletResponse()).key();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void cookieCanBeTurnedOff() {
    properties.getContext().getAnonymousCookie().setEnabled(false);
    MockHttpServletResponse response = new MockHttpServletResponse();
    EvaluationContext context = resolver(false).resolve(new MockHttpServletRequest(), response);
    assertThat(context.key()).isEqualTo(FlagContextResolver.ANONYMOUS_KEY);
    assertThat(response.getCookies()).isEmpty();
  }

  @Test
  void forgedCookieValuesAreReplaced() {
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setCookies(new Cookie("flags_visitor", "<script>"));
    MockHttpServletResponse response = new MockHttpServletResponse();
    String key = resolver(false).resolve(request, response).key();
    assertThat(key).isNotEqualTo("<script>");
    assertThat(List.of(response.getCookies())).extracting(Cookie::getValue).containsExactly(key);
  }

  @Test
  void currentUsesTheRequestOfTheThreadAndIsStableWithinIt() {
    MockHttpServletRequest request = new MockHttpServletRequest();
    MockHttpServletResponse response = new MockHttpServletResponse();
    RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, response));
    DefaultFlagContextResolver resolver = resolver(false);
    EvaluationContext first = resolver.current();
    assertThat(resolver.current()).isSameAs(first);
    assertThat(response.getCookies()).hasSize(1);
  }

  @Test
  void currentOutsideARequestIsAnonymous() {
    assertThat(resolver(false).current().key()).isEqualTo(FlagContextResolver.ANONYMOUS_KEY);
  }

  private DefaultFlagContextResolver resolver(boolean security) {
    return new DefaultFlagContextResolver(properties.getContext(), security);
  }
}
