package dev.flags.examples.spring;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.spring.web.FlagContextResolver;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** The shop's page: dark for the users {@code new_ui_layout} picks, light for the others. */
@RestController
class HomeController {

  private final Flags flags;
  private final FlagContextResolver users;
  private final PaymentGateway gateway;

  HomeController(Flags flags, FlagContextResolver users, PaymentGateway gateway) {
    this.flags = flags;
    this.users = users;
    this.gateway = gateway;
  }

  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
  String home() {
    EvaluationContext user = users.current();
    boolean dark = flags.isEnabled("new_ui_layout", user);
    boolean newFlow = flags.isEnabled("new_checkout_flow", user);
    String banner =
        flags.isEnabled("summer_sale_banner", user) ? "<p class=\"banner\">Summer sale!</p>" : "";
    return """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Checkout</title>
        <style>body.dark{background:#121212;color:#e0e0e0}body.light{background:#fff;color:#222}</style></head>
        <body class="%s" data-layout="%s">
        %s
        <h1>Hello %s</h1>
        <p>Checkout flow: <b>%s</b>; payment gateway: <b>%s</b>; layout: <b>%s</b>.</p>
        </body>
        </html>
        """
        .formatted(
            dark ? "dark" : "light",
            dark ? "dark" : "light",
            banner,
            HtmlUtils.htmlEscape(user.key()),
            newFlow ? "new" : "classic",
            gateway.name(),
            dark ? "dark" : "light");
  }
}
