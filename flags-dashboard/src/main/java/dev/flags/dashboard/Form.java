package dev.flags.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The fields of a submitted form ({@code application/x-www-form-urlencoded}). Immutable. */
final class Form {

  private final Map<String, List<String>> fields;

  private Form(Map<String, List<String>> fields) {
    this.fields = fields;
  }

  static Form parse(String body) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    if (!body.isEmpty()) {
      for (String pair : body.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        try {
          String name =
              URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          String value =
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("the form is not URL-encoded: " + e.getMessage());
        }
      }
    }
    return new Form(fields);
  }

  /** The first value of a field. */
  Optional<String> get(String name) {
    List<String> v = fields.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** The first value, stripped, or {@code ""}. */
  String text(String name) {
    return get(name).map(String::strip).orElse("");
  }

  /** Every value of a field. */
  List<String> all(String name) {
    return fields.getOrDefault(name, List.of());
  }

  boolean has(String name) {
    return fields.containsKey(name);
  }

  /**
   * Context keys pasted into a field, one per line or separated by commas, spaces or semicolons;
   * blanks dropped, duplicates kept once, in order.
   */
  List<String> keys(String name) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (String value : all(name)) {
      for (String k : value.split("[,;\\s]+")) {
        if (!k.isEmpty()) {
          out.add(k);
        }
      }
    }
    return List.copyOf(out);
  }
}
