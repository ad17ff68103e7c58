package dev.flags.micronaut.kit;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.integration.kit.Kit;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.Map;

/**
 * {@code GET /kit/outcome}: evaluates a flag, then answers a status or throws. On the blocking
 * executor, as a controller that does I/O is, so the request's evaluations happen on another thread
 * than its filters.
 */
@Controller("/kit/outcome")
@Requires(property = MicronautKitApplication.KIT, value = "true")
@Secured("isAnonymous()")
@ExecuteOn(TaskExecutors.BLOCKING)
class KitOutcomeProbe {

  private final Flags flags;

  KitOutcomeProbe(Flags flags) {
    this.flags = flags;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  HttpResponse<String> outcome(
      @QueryValue String flag,
      @QueryValue String user,
      @QueryValue(defaultValue = "200") int status,
      @QueryValue(defaultValue = "false") boolean fail) {
    boolean value = flags.isEnabled(flag, EvaluationContext.of(user));
    if (fail) {
      throw new IllegalStateException("the kit's probe fails, as asked");
    }
    return HttpResponse.<String>status(HttpStatus.valueOf(status))
        .body(Kit.json(Map.of("value", value)));
  }
}
