package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.json describes the handler: the same routes, each with the same operation id and
 * exactly the statuses the route table says it answers (AdminApiTest checks the handler keeps to
 * those); every reference resolves.
 */
class OpenApiTest {

  static final Path DOCS = Path.of("../docs");
  private static final FlagCodec CODEC = FlagCodec.standard();
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  private static JsonValue.Obj document() throws IOException {
    return (JsonValue.Obj) CODEC.parse(Files.readString(DOCS.resolve("openapi.json")));
  }

  private static Map<String, JsonValue> obj(JsonValue v) {
    return ((JsonValue.Obj) v).members();
  }

  @Test
  void theDocumentIsOpenApi31() throws IOException {
    assertThat(obj(document()).get("openapi")).isEqualTo(JsonValue.of("3.1.0"));
  }

  @Test
  void everyRouteIsDocumentedWithItsStatusesAndNothingElse() throws IOException {
    Map<String, JsonValue> paths = obj(obj(document()).get("paths"));
    Set<String> documented = new TreeSet<>();
    paths.forEach(
        (path, item) ->
            obj(item).keySet().stream()
                .filter(METHODS::contains)
                .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path)));
    Set<String> routed =
        Route.ALL.stream()
            .map(r -> r.method() + " " + r.template())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(routed);
    for (Route route : Route.ALL) {
      Map<String, JsonValue> op =
          obj(obj(paths.get(route.template())).get(route.method().toLowerCase(Locale.ROOT)));
      assertThat(op.get("operationId"))
          .as(route.toString())
          .isEqualTo(JsonValue.of(route.operation()));
      Set<Integer> statuses =
          obj(op.get("responses")).keySet().stream()
              .map(Integer::valueOf)
              .collect(Collectors.toSet());
      assertThat(statuses).as(route.method() + " " + route.template()).isEqualTo(route.statuses());
      if (route.template().contains("{key}")) {
        assertThat(CODEC.write(op.get("parameters")))
            .as(route.toString())
            .contains("\"in\":\"path\"");
      }
    }
  }

  @Test
  void everyReferenceResolves() throws IOException {
    JsonValue.Obj doc = document();
    JsonValue.Obj schema =
        (JsonValue.Obj) CODEC.parse(Files.readString(DOCS.resolve("flag-schema.json")));
    List<String> refs = new ArrayList<>();
    collect(doc, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      JsonValue root = ref.startsWith("#") ? doc : schema;
      String pointer = ref.substring(ref.indexOf('#') + 1);
      if (!ref.startsWith("#")) {
        assertThat(ref).startsWith("flag-schema.json#");
      }
      JsonValue at = root;
      for (String part : pointer.substring(1).split("/")) {
        assertThat(obj(at)).as(ref).containsKey(part);
        at = obj(at).get(part);
      }
    }
  }

  private static void collect(JsonValue v, List<String> refs) {
    if (v instanceof JsonValue.Obj o) {
      o.members()
          .forEach(
              (k, x) -> {
                if (k.equals("$ref")) {
                  refs.add(((JsonValue.Str) x).value());
                } else {
                  collect(x, refs);
                }
              });
    } else if (v instanceof JsonValue.Arr a) {
      a.elements().forEach(e -> collect(e, refs));
    }
  }
}
