package dev.flags.examples.testsupport;

/**
 * The sign-in page the example services serve in their dashboard browser tests: the form {@link
 * CheckoutDashboardStories} fills in (fields {@code username} and {@code password}, button {@code
 * sign-in}), posted to the framework's own {@code POST /login}. The dashboard has no sign-in of its
 * own: the application's security provides it. Stateless and thread-safe.
 */
public final class SignInPage {

  private SignInPage() {}

  /**
   * The page's HTML.
   *
   * @param hiddenFields HTML of hidden inputs the framework's login needs in the form (Spring
   *     Security's CSRF token), already escaped; empty for none
   */
  public static String html(String hiddenFields) {
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
        HIDDEN
        <p><button id="sign-in" type="submit">Sign in</button></p>
        </form></main></body></html>
        """
        .replace("HIDDEN", hiddenFields);
  }
}
