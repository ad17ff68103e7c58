package dev.flags.examples.micronaut;

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
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign in · checkout</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body><main><h1>Sign in</h1>
        <form method="post" action="/login">
        <p><label for="username">User</label> <input id="username" name="username"
         autocomplete="username" required></p>
        <p><label for="password">Password</label> <input id="password" name="password"
         type="password" autocomplete="current-password" required></p>
        <p><button id="sign-in" type="submit">Sign in</button></p>
        </form></main></body></html>
        """;
  }
}
