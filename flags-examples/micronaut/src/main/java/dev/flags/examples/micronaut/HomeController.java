package dev.flags.examples.micronaut;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/** The shop's page: dark for the users {@code new_ui_layout} picks, light for the others. */
@Controller
public class HomeController {

  private final Flags flags;
  private final PaymentGateway gateway;

  HomeController(Flags flags, PaymentGateway gateway) {
    this.flags = flags;
    this.gateway = gateway;
  }

  @Get
  @Produces(MediaType.TEXT_HTML)
  public String home(EvaluationContext user) {
    boolean dark = flags.isEnabled("new_ui_layout", user);
    boolean newFlow = flags.isEnabled("new_checkout_flow", user);
    String banner =
        flags.isEnabled("summer_sale_banner", user) ? "<p class=\"banner\">Summer sale!</p>" : "";
    String layout = dark ? "dark" : "light";
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
            layout,
            layout,
            banner,
            escape(user.key()),
            newFlow ? "new" : "classic",
            gateway.name(),
            layout);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
