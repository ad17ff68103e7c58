package dev.flags.integration.kit;

import dev.flags.core.JsonValue;
import dev.flags.integration.Setting;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates what is derived from the table of {@link Setting}: the Markdown table of
 * docs/settings.md and the configuration metadata (Spring Boot's format: {@code properties}, {@code
 * hints}) that IDEs complete {@code flags.*} keys from. Tests check the checked-in copies against
 * these; the Spring Boot starter checks its {@code
 * META-INF/additional-spring-configuration-metadata.json} against {@link #springMetadata()}.
 */
public final class SettingsTable {

  /** Where the generated part of docs/settings.md starts. */
  public static final String BEGIN =
      "<!-- generated from dev.flags.integration.Setting by SettingsTable: edit the table there -->";

  /** Where it ends. */
  public static final String END = "<!-- end of generated table -->";

  private SettingsTable() {}

  /** The Markdown between {@link #BEGIN} and {@link #END}, with both. */
  public static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append(BEGIN).append('\n');
    sb.append("| Setting | Type | Default | What it does |\n");
    sb.append("|---|---|---|---|\n");
    for (Setting s : Setting.all()) {
      String key = s.type() == Setting.Type.MAP ? s.key() + ".<key>" : s.key();
      sb.append("| `")
          .append(key)
          .append("` | ")
          .append(type(s))
          .append(" | ")
          .append(s.defaultValue().isEmpty() ? "—" : "`" + s.defaultValue() + "`")
          .append(" | ")
          .append(s.description().replace("|", "\\|"))
          .append(s.secret() ? " *Secret: never shown.*" : "")
          .append(" |\n");
    }
    sb.append('\n');
    sb.append("Removed settings (setting one fails start-up, naming its replacement):\n\n");
    sb.append("| Removed | Use instead |\n");
    sb.append("|---|---|\n");
    new TreeMap<>(Setting.REMOVED)
        .forEach((k, v) -> sb.append("| `").append(k).append("` | `").append(v).append("` |\n"));
    sb.append(END).append('\n');
    return sb.toString();
  }

  private static String type(Setting s) {
    if (!s.values().isEmpty()) {
      return String.join(" \\| ", s.values());
    }
    return switch (s.type()) {
      case BOOLEAN -> "boolean";
      case STRING -> "text";
      case INTEGER -> "integer";
      case DURATION -> "duration";
      case LIST -> "list";
      case MAP -> "text per key";
    };
  }

  /** The configuration metadata of every setting, pretty-printed JSON ending with a newline. */
  public static String springMetadata() {
    List<JsonValue> properties = new ArrayList<>();
    for (Setting s : Setting.all()) {
      Map<String, JsonValue> p = new LinkedHashMap<>();
      p.put("name", JsonValue.of(s.key()));
      p.put("type", JsonValue.of(s.type().javaType()));
      p.put("description", JsonValue.of(s.description()));
      if (!s.defaultValue().isEmpty()) {
        p.put("defaultValue", defaultValue(s));
      }
      properties.add(new JsonValue.Obj(p));
    }
    new TreeMap<>(Setting.REMOVED)
        .forEach(
            (k, v) -> {
              Map<String, JsonValue> p = new LinkedHashMap<>();
              p.put("name", JsonValue.of(k));
              p.put("type", JsonValue.of(Setting.Type.BOOLEAN.javaType()));
              p.put("description", JsonValue.of("Removed; use " + v + "."));
              Map<String, JsonValue> d = new LinkedHashMap<>();
              d.put("level", JsonValue.of("error"));
              d.put("replacement", JsonValue.of(v));
              d.put(
                  "reason", JsonValue.of("One admin API for every framework (docs/admin-api.md)."));
              p.put("deprecation", new JsonValue.Obj(d));
              properties.add(new JsonValue.Obj(p));
            });
    List<JsonValue> hints = new ArrayList<>();
    for (Setting s : Setting.all()) {
      if (s.values().isEmpty()) {
        continue;
      }
      List<JsonValue> values = new ArrayList<>();
      for (String v : s.values()) {
        values.add(new JsonValue.Obj(Map.of("value", JsonValue.of(v))));
      }
      Map<String, JsonValue> h = new LinkedHashMap<>();
      h.put("name", JsonValue.of(s.key()));
      h.put("values", new JsonValue.Arr(values));
      hints.add(new JsonValue.Obj(h));
    }
    Map<String, JsonValue> root = new LinkedHashMap<>();
    root.put("properties", new JsonValue.Arr(properties));
    root.put("hints", new JsonValue.Arr(hints));
    StringBuilder sb = new StringBuilder();
    pretty(new JsonValue.Obj(root), "", sb);
    return sb.append('\n').toString();
  }

  private static JsonValue defaultValue(Setting s) {
    String d = s.defaultValue();
    return switch (s.type()) {
      case BOOLEAN -> JsonValue.of(Boolean.parseBoolean(d));
      case INTEGER -> new JsonValue.Num(new BigDecimal(d));
      case LIST ->
          new JsonValue.Arr(
              Arrays.stream(d.split(","))
                  .map(String::strip)
                  .map(JsonValue::of)
                  .map(v -> (JsonValue) v)
                  .toList());
      default -> JsonValue.of(d);
    };
  }

  /** Two-space indented JSON, one member or element a line. */
  static void pretty(JsonValue v, String indent, StringBuilder sb) {
    if (v instanceof JsonValue.Obj o && !o.members().isEmpty()) {
      sb.append("{\n");
      int i = 0;
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        sb.append(indent)
            .append("  ")
            .append(Kit.CODEC.write(JsonValue.of(e.getKey())))
            .append(": ");
        pretty(e.getValue(), indent + "  ", sb);
        sb.append(++i < o.members().size() ? ",\n" : "\n");
      }
      sb.append(indent).append('}');
    } else if (v instanceof JsonValue.Arr a && !a.elements().isEmpty()) {
      sb.append("[\n");
      for (int i = 0; i < a.elements().size(); i++) {
        sb.append(indent).append("  ");
        pretty(a.elements().get(i), indent + "  ", sb);
        sb.append(i + 1 < a.elements().size() ? ",\n" : "\n");
      }
      sb.append(indent).append(']');
    } else {
      sb.append(Kit.CODEC.write(v));
    }
  }
}
