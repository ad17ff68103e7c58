package dev.flags.cli;

import dev.flags.core.EvaluationContext;
import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "What a flag serves to one user (context), and why: the value, the reason, the rule or the"
          + " rollout bucket. Evaluated on the store's current definitions."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl explain new_checkout_flow --user user-42 --attr country=DE --attr plan=pro",
      "  flagctl explain new_checkout_flow --user t-7 --kind tenant --attr 'seats:=120'"
    })
final class ExplainCommand extends Base {

  @Parameters(index = "0", paramLabel = "KEY", description = "The flag key.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String key;

  @Option(
      names = {"--user", "--context-key"},
      required = true,
      paramLabel = "ID",
      description = "The context's key (a user id).")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String user;

  @Option(names = "--kind", paramLabel = "KIND", description = "The context kind (default user).")
  String kind = EvaluationContext.DEFAULT_KIND;

  @Option(names = "--anonymous", description = "An anonymous context.")
  boolean anonymous;

  @Option(
      names = "--attr",
      paramLabel = "NAME=VALUE",
      description =
          "An attribute: name=text, or name:=JSON for a number, boolean or list"
              + " (seats:=120, beta:=true, groups:='[\"a\",\"b\"]'). Repeat for more.")
  List<String> attrs = new ArrayList<>();

  @Override
  public Integer call() {
    Map<String, JsonValue> attributes = new LinkedHashMap<>();
    for (String a : attrs) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw CliException.invalid("--attr: \"" + a + "\" is not name=value; write country=DE");
      }
      boolean isJson = a.charAt(eq - 1) == ':';
      String name = a.substring(0, isJson ? eq - 1 : eq);
      String value = a.substring(eq + 1);
      if (isJson) {
        try {
          attributes.put(name, FlagCodec.standard().parse(value));
        } catch (IllegalArgumentException e) {
          throw CliException.invalid(
              "--attr " + name + ":= takes JSON (120, true, [\"a\"]): " + e.getMessage());
        }
      } else {
        attributes.put(name, JsonValue.of(value));
      }
    }
    EvaluationContext ctx;
    try {
      EvaluationContext.Builder b = EvaluationContext.builder(user).kind(kind).anonymous(anonymous);
      attributes.forEach(b::set);
      ctx = b.build();
    } catch (IllegalArgumentException e) {
      throw CliException.invalid("the context: " + e.getMessage());
    }
    Explanation x;
    try {
      x = backend().explain(key, ctx);
    } catch (dev.flags.core.admin.FlagNotFoundException e) {
      throw notFound(key);
    }
    if (json()) {
      printJson(Views.json(x));
      return Exit.OK;
    }
    out()
        .println(
            key
                + " for "
                + describe(ctx)
                + ": "
                + Views.json(x.value())
                + x.variation().stream()
                    .mapToObj(v -> " (variation " + v + ")")
                    .findFirst()
                    .orElse(""));
    out().println("reason: " + x.reason() + ": " + x.explanation());
    return Exit.OK;
  }

  private static String describe(EvaluationContext ctx) {
    StringBuilder s = new StringBuilder(ctx.kind()).append(' ').append(ctx.key());
    if (ctx.anonymous()) {
      s.append(" (anonymous)");
    }
    if (!ctx.attributes().isEmpty()) {
      List<String> parts = new ArrayList<>();
      ctx.attributes().forEach((k, v) -> parts.add(k + "=" + Views.json(v)));
      s.append(" [").append(String.join(", ", parts)).append(']');
    }
    return s.toString();
  }
}
