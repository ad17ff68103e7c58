package dev.flags.examples.micronaut;

import dev.flags.examples.testsupport.SignInPage;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/**
 * The sign-in form of {@link CheckoutDashboardBrowserTest}: it posts to micronaut-security's {@code
 * POST /login}, which sets the signed session cookie ({@code
 * micronaut.security.authentication=cookie}) and sends the browser to the dashboard. The dashboard
 * has no sign-in of its own: the application's security provides it, as here. Only with {@value
 * DashboardTestUsers#SWITCH}{@code =true}; open to everyone like the shop (the example's
 * intercept-url-map).
 */
@Controller("/login")
@Requires(property = DashboardTestUsers.SWITCH, value = "true")
class DashboardTestLoginPage {

  @Get
  @Produces(MediaType.TEXT_HTML)
  String page() {
    return SignInPage.html("");
  }
}
