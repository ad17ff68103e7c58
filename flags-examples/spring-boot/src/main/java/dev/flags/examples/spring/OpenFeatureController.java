package dev.flags.examples.spring;

import dev.flags.spring.web.FlagContextResolver;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The checkout canary again, asked through OpenFeature's API instead of ours: code written against
 * OpenFeature gets the same answer for the same user.
 */
@RestController
class OpenFeatureController {

  private final Client openFeature;
  private final FlagContextResolver users;

  OpenFeatureController(Client openFeature, FlagContextResolver users) {
    this.openFeature = openFeature;
    this.users = users;
  }

  @GetMapping("/checkout/openfeature")
  Map<String, String> checkout() {
    String user = users.current().key();
    FlagEvaluationDetails<Boolean> canary =
        openFeature.getBooleanDetails("new_checkout_flow", false, new ImmutableContext(user));
    return Map.of(
        "user", user, "flow", canary.getValue() ? "new" : "classic", "reason", canary.getReason());
  }
}
