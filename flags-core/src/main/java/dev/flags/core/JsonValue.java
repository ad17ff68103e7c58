package dev.flags.core;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable JSON value: the type of flag variations, clause values and context attributes.
 *
 * <p>Numbers keep their exact decimal value ({@link BigDecimal}), so a flag read and written back
 * is unchanged. Objects keep their members in insertion order. Instances are immutable and
 * thread-safe.
 */
public sealed interface JsonValue
    permits JsonValue.Null,
        JsonValue.Bool,
        JsonValue.Num,
        JsonValue.Str,
        JsonValue.Arr,
        JsonValue.Obj {

  /** JSON {@code null}. */
  Null NULL = new Null();

  /** JSON {@code true}. */
  Bool TRUE = new Bool(true);

  /** JSON {@code false}. */
  Bool FALSE = new Bool(false);

  /** Returns the boolean value. */
  static Bool of(boolean value) {
    return value ? TRUE : FALSE;
  }

  /** Returns a string value. */
  static Str of(String value) {
    return new Str(value);
  }

  /** Returns a number value. */
  static Num of(long value) {
    return new Num(BigDecimal.valueOf(value));
  }

  /**
   * Returns a number value.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite (JSON has neither)
   */
  static Num of(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON numbers are finite, got " + value);
    }
    return new Num(BigDecimal.valueOf(value));
  }

  /** Returns an array value holding {@code elements}. */
  static Arr array(JsonValue... elements) {
    return new Arr(List.of(elements));
  }

  /**
   * Converts plain Java values: {@code null}, Boolean, Number, String, {@link JsonValue}, a List or
   * a Map with String keys, nested freely.
   *
   * @throws IllegalArgumentException for any other type
   */
  static JsonValue from(@Nullable Object value) {
    if (value == null) {
      return NULL;
    } else if (value instanceof JsonValue json) {
      return json;
    } else if (value instanceof Boolean b) {
      return of(b.booleanValue());
    } else if (value instanceof String s) {
      return of(s);
    } else if (value instanceof BigDecimal d) {
      return new Num(d);
    } else if (value instanceof Double || value instanceof Float) {
      return of(((Number) value).doubleValue());
    } else if (value instanceof Number n) {
      return new Num(new BigDecimal(n.toString()));
    } else if (value instanceof List<?> list) {
      List<JsonValue> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(from(o));
      }
      return new Arr(out);
    } else if (value instanceof Map<?, ?> map) {
      Map<String, JsonValue> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON object keys are strings, got " + e.getKey());
        }
        out.put(key, from(e.getValue()));
      }
      return new Obj(out);
    }
    throw new IllegalArgumentException(
        "cannot convert "
            + value.getClass().getName()
            + " to JSON; use Boolean, Number, String, List or Map");
  }

  /** The JSON {@code null} value. */
  record Null() implements JsonValue {
    @Override
    public String toString() {
      return "null";
    }
  }

  /** A JSON boolean. */
  record Bool(boolean value) implements JsonValue {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /**
   * A JSON number, kept exactly. Equality is numeric: {@code 1}, {@code 1.0} and {@code 1e0} are
   * equal.
   */
  record Num(BigDecimal value) implements JsonValue {
    public Num {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Num n && n.value.compareTo(value) == 0;
    }

    @Override
    public int hashCode() {
      return Double.hashCode(value.doubleValue());
    }

    @Override
    public String toString() {
      return value.toString();
    }
  }

  /** A JSON string. */
  record Str(String value) implements JsonValue {
    public Str {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return '"' + value + '"';
    }
  }

  /** A JSON array; the list is an immutable copy. */
  record Arr(List<JsonValue> elements) implements JsonValue {
    public Arr {
      elements = List.copyOf(elements);
    }
  }

  /** A JSON object; the map is an immutable copy that keeps insertion order. */
  record Obj(Map<String, JsonValue> members) implements JsonValue {
    public Obj {
      for (Map.Entry<String, JsonValue> e : members.entrySet()) {
        Objects.requireNonNull(e.getKey(), "member name");
        Objects.requireNonNull(e.getValue(), "member value");
      }
      members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }
  }
}
