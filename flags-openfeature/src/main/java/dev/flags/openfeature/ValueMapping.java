package dev.flags.openfeature;

import dev.flags.core.JsonValue;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Values between the two models: our {@link JsonValue} and OpenFeature's {@link Value}, both ways.
 *
 * <p>Towards OpenFeature (object flags): a JSON number with no fraction becomes an {@code Integer}
 * when it fits, else a {@code Long} when it fits, else a {@code Double}; every other number a
 * {@code Double}. Towards Flags (context attributes): see {@link #toJson}. Stateless and
 * thread-safe.
 */
final class ValueMapping {
  private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private ValueMapping() {}

  /** A flag's JSON value as an OpenFeature value. */
  static Value toValue(JsonValue json) {
    if (json instanceof JsonValue.Bool b) {
      return new Value(b.value());
    } else if (json instanceof JsonValue.Str s) {
      return new Value(s.value());
    } else if (json instanceof JsonValue.Num n) {
      return number(n.value());
    } else if (json instanceof JsonValue.Arr a) {
      List<Value> out = new ArrayList<>(a.elements().size());
      for (JsonValue e : a.elements()) {
        out.add(toValue(e));
      }
      return new Value(out);
    } else if (json instanceof JsonValue.Obj o) {
      Map<String, Value> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        out.put(e.getKey(), toValue(e.getValue()));
      }
      return new Value(new ImmutableStructure(out));
    }
    return new Value(); // JSON null
  }

  private static Value number(BigDecimal d) {
    boolean integral = d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    if (integral && d.compareTo(INT_MIN) >= 0 && d.compareTo(INT_MAX) <= 0) {
      return new Value(d.intValue());
    }
    if (integral && d.compareTo(LONG_MIN) >= 0 && d.compareTo(LONG_MAX) <= 0) {
      return new Value(d.longValue());
    }
    return new Value(d.doubleValue());
  }

  /**
   * An OpenFeature value as JSON, or {@code null} when it cannot be one: a NaN or infinite double
   * (JSON has neither), or an object of another type. Booleans, strings and numbers map to
   * themselves; an {@link Instant} becomes its ISO-8601 text (what the {@code before} and {@code
   * after} operators read); a structure becomes an object and a list an array, recursively. Inside
   * them, a member that cannot map is left out and a list element that cannot map becomes JSON
   * {@code null}, so the other elements keep their positions. An OpenFeature null is JSON null.
   */
  static @Nullable JsonValue toJson(Value value) {
    if (value.isNull()) {
      return JsonValue.NULL;
    } else if (value.isBoolean()) {
      return JsonValue.of(value.asBoolean());
    } else if (value.isString()) {
      return JsonValue.of(value.asString());
    } else if (value.isNumber()) {
      Object n = value.asObject();
      if (n instanceof Integer || n instanceof Long) {
        return JsonValue.of(((Number) n).longValue());
      }
      double d = value.asDouble();
      return Double.isFinite(d) ? JsonValue.of(d) : null;
    } else if (value.isInstant()) {
      return JsonValue.of(value.asInstant().toString());
    } else if (value.isStructure()) {
      return structure(value.asStructure());
    } else if (value.isList()) {
      List<Value> list = value.asList();
      List<JsonValue> out = new ArrayList<>(list.size());
      for (Value v : list) {
        JsonValue j = v == null ? JsonValue.NULL : toJson(v);
        out.add(j == null ? JsonValue.NULL : j);
      }
      return new JsonValue.Arr(out);
    }
    return null;
  }

  private static JsonValue structure(Structure s) {
    Map<String, JsonValue> out = new LinkedHashMap<>();
    for (String name : s.keySet()) {
      Value v = s.getValue(name);
      JsonValue j = v == null ? JsonValue.NULL : toJson(v);
      if (j != null) {
        out.put(name, j);
      }
    }
    return new JsonValue.Obj(out);
  }
}
