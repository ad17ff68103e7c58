package dev.flags.integration;

import dev.flags.core.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads the small JSON bodies of the admin API's commands ({@code {"percentage": 25, "reason":
 * "canary ok"}}): each member checked for its type, unknown members refused (a typo must not pass
 * as "nothing to change"), errors naming the member.
 */
final class Bodies {

  private final Map<String, JsonValue> members;

  private Bodies(Map<String, JsonValue> members) {
    this.members = members;
  }

  /**
   * The body as an object of these members; an empty body is an empty object.
   *
   * @throws ApiProblem 400 for anything else
   */
  static Bodies of(String body, Set<String> allowed) {
    if (body.isBlank()) {
      return new Bodies(Map.of());
    }
    JsonValue json;
    try {
      json = Json.CODEC.parse(body);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("the body is not JSON: " + e.getMessage());
    }
    if (!(json instanceof JsonValue.Obj o)) {
      throw ApiProblem.badRequest("the body must be a JSON object");
    }
    if (o.members().containsKey("actor")) {
      throw ApiProblem.badRequest(
          "actor: the actor of a change is the authenticated caller; remove \"actor\"");
    }
    Set<String> unknown = new TreeSet<>(o.members().keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw ApiProblem.badRequest(
          "unknown member"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + "; expected "
              + String.join(", ", new TreeSet<>(allowed)));
    }
    return new Bodies(o.members());
  }

  boolean has(String name) {
    return members.containsKey(name);
  }

  boolean isNull(String name) {
    return members.get(name) instanceof JsonValue.Null;
  }

  @Nullable JsonValue get(String name) {
    return members.get(name);
  }

  Optional<String> string(String name) {
    JsonValue v = members.get(name);
    if (v == null || v instanceof JsonValue.Null) {
      return Optional.empty();
    }
    if (v instanceof JsonValue.Str s) {
      return Optional.of(s.value());
    }
    throw ApiProblem.badRequest(name + ": must be a string");
  }

  String reason() {
    return string("reason").orElse("");
  }

  Optional<Double> number(String name) {
    JsonValue v = members.get(name);
    if (v == null || v instanceof JsonValue.Null) {
      return Optional.empty();
    }
    if (v instanceof JsonValue.Num n) {
      return Optional.of(n.value().doubleValue());
    }
    throw ApiProblem.badRequest(name + ": must be a number");
  }

  Optional<Long> whole(String name) {
    JsonValue v = members.get(name);
    if (v == null || v instanceof JsonValue.Null) {
      return Optional.empty();
    }
    if (v instanceof JsonValue.Num n) {
      try {
        return Optional.of(n.value().longValueExact());
      } catch (ArithmeticException e) {
        // falls through to the error
      }
    }
    throw ApiProblem.badRequest(name + ": must be a whole number");
  }

  List<String> strings(String name) {
    JsonValue v = members.get(name);
    if (v == null || v instanceof JsonValue.Null) {
      return List.of();
    }
    if (!(v instanceof JsonValue.Arr a)) {
      throw ApiProblem.badRequest(name + ": must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.elements().size(); i++) {
      if (!(a.elements().get(i) instanceof JsonValue.Str s) || s.value().isEmpty()) {
        throw ApiProblem.badRequest(name + "[" + i + "]: must be a non-empty string");
      }
      out.add(s.value());
    }
    return out;
  }
}
