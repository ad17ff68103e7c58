package dev.flags.micronaut.kit;

import dev.flags.core.EvaluationContext;
import dev.flags.integration.kit.Kit;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /kit/context}: the context flags-micronaut resolved for the request. */
@Controller(KitContextProbe.PATH)
@Requires(property = MicronautKitApplication.KIT, value = "true")
@Secured("isAnonymous()")
class KitContextProbe {

  static final String PATH = "/kit/context";

  @Get(produces = MediaType.APPLICATION_JSON)
  String context(EvaluationContext user) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", user.key());
    body.put("kind", user.kind());
    body.put("anonymous", user.anonymous());
    return Kit.json(body);
  }
}
