package dev.flags.core;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who a flag is evaluated for: a key (a user id, a tenant id…), a kind ({@code user} by default),
 * an anonymous marker and attributes (strings, numbers, booleans and lists of them).
 *
 * <p>The built-in attributes {@code key}, {@code kind} and {@code anonymous} can be used in clauses
 * like any other; {@link Builder#set} cannot override them. Build contexts once per request and
 * reuse them: evaluation reads them without copying. Immutable and thread-safe.
 */
public final class EvaluationContext {

  /** The default kind. */
  public static final String DEFAULT_KIND = "user";

  private final String key;
  private final String kind;
  private final boolean anonymous;
  private final Map<String, JsonValue> attributes;
  /*
   * The custom attributes again, flat, for the evaluator: names, values and the text of string
   * values side by side. Rule evaluation over many contexts is bound by dependent loads, and a
   * probe of these arrays (names compared by identity first: clause attribute names are interned
   * when compiled, and names in application code are literals) touches fewer cache lines than
   * HashMap's table, node and value. Contexts with many attributes use the map instead.
   */
  private static final int MAX_FLAT = 16;
  // All three null together: more than MAX_FLAT attributes, read rawAttributes.
  private final String @Nullable []
      names; // null: more than MAX_FLAT attributes, read rawAttributes
  private final JsonValue @Nullable [] values;
  private final @Nullable String @Nullable []
      texts; // texts[i]: the string of values[i] when it is a string, else null
  private final Map<String, JsonValue> rawAttributes;
  private final JsonValue.Str keyValue;
  private final JsonValue.Str kindValue;

  private EvaluationContext(
      String key, String kind, boolean anonymous, Map<String, JsonValue> attributes) {
    this.key = key;
    this.kind = kind;
    this.anonymous = anonymous;
    this.attributes = Collections.unmodifiableMap(attributes);
    this.rawAttributes = forEvaluation(attributes);
    int n = attributes.size();
    if (n <= MAX_FLAT) {
      this.names = new String[n];
      this.values = new JsonValue[n];
      this.texts = new @Nullable String[n];
      int i = 0;
      for (Map.Entry<String, JsonValue> e : rawAttributes.entrySet()) {
        names[i] = e.getKey();
        values[i] = e.getValue();
        texts[i] = e.getValue() instanceof JsonValue.Str str ? str.value() : null;
        i++;
      }
    } else {
      this.names = null;
      this.values = null;
      this.texts = null;
    }
    this.keyValue = JsonValue.of(key);
    this.kindValue = JsonValue.of(kind);
  }

  /**
   * The attributes as the evaluator reads them: a number too large to compare cheaply (see {@code
   * Numbers}), alone or in a list, counts as missing, so it never matches and costs nothing. The
   * same map when there is none (the usual case).
   */
  private static Map<String, JsonValue> forEvaluation(Map<String, JsonValue> attributes) {
    Map<String, JsonValue> out = attributes;
    for (Map.Entry<String, JsonValue> e : attributes.entrySet()) {
      JsonValue v = evaluable(e.getValue());
      if (v != e.getValue()) {
        if (out == attributes) {
          out = new HashMap<>(attributes);
        }
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  private static JsonValue evaluable(JsonValue v) {
    if (v instanceof JsonValue.Num n) {
      return Numbers.isBounded(n.value()) ? v : JsonValue.NULL;
    }
    if (v instanceof JsonValue.Arr a) {
      List<JsonValue> elements = a.elements();
      for (int i = 0; i < elements.size(); i++) {
        if (elements.get(i) instanceof JsonValue.Num n && !Numbers.isBounded(n.value())) {
          JsonValue[] copy = elements.toArray(new JsonValue[0]);
          for (int j = i; j < copy.length; j++) {
            copy[j] = copy[j] instanceof JsonValue.Num m ? evaluable(m) : copy[j];
          }
          return new JsonValue.Arr(List.of(copy));
        }
      }
    }
    return v;
  }

  /** A context with just a key, of kind {@code user}. */
  public static EvaluationContext of(String key) {
    return builder(key).build();
  }

  /** Starts a context with this key. */
  public static Builder builder(String key) {
    return new Builder(key);
  }

  /** The context key, such as a user id; never empty. */
  public String key() {
    return key;
  }

  /** The kind: {@code user}, {@code organization}, {@code device}…; {@code user} by default. */
  public String kind() {
    return kind;
  }

  /**
   * Whether this is an anonymous visitor (its key is then usually a generated, sticky id). An
   * anonymous context never matches a flag's individual targets nor a segment's {@code included}
   * and {@code excluded} keys, even when its key equals one of them: those lists name known users,
   * and a visitor chooses its own cookie. Rules (including rules on {@code key}) still apply.
   */
  public boolean anonymous() {
    return anonymous;
  }

  /** The custom attributes (not the built-in ones), unmodifiable. */
  public Map<String, JsonValue> attributes() {
    return attributes;
  }

  /** The value of an attribute, built-in ones included, as it was set. */
  public Optional<JsonValue> attribute(String name) {
    return switch (name) {
      case "key", "kind", "anonymous" -> Optional.ofNullable(valueOf(name));
      default -> Optional.ofNullable(attributes.get(name));
    };
  }

  /** The attribute value or {@code null}, without allocating: for the evaluator. */
  @Nullable JsonValue valueOf(String name) {
    switch (name) {
      case "key":
        return keyValue;
      case "kind":
        return kindValue;
      case "anonymous":
        return JsonValue.of(anonymous);
      default:
        return customValue(name);
    }
  }

  /** A custom attribute's value or {@code null}; built-in names are resolved by the caller. */
  @Nullable JsonValue customValue(String name) {
    String[] n = names;
    JsonValue[] v = values;
    if (n == null || v == null) {
      return rawAttributes.get(name);
    }
    int i = flatIndex(n, name);
    return i < 0 ? null : v[i];
  }

  /**
   * A custom attribute's text when it is a string, else {@code null} (missing, or another type):
   * the evaluator's path for the common string clauses.
   */
  @Nullable String customText(String name) {
    String[] n = names;
    @Nullable String[] t = texts;
    if (n == null || t == null) {
      return rawAttributes.get(name) instanceof JsonValue.Str s ? s.value() : null;
    }
    int i = flatIndex(n, name);
    return i < 0 ? null : t[i];
  }

  // The reference comparison is a fast path for the interned names clauses carry; equals follows.
  @SuppressWarnings("ReferenceEquality")
  private static int flatIndex(String[] n, String name) {
    for (int i = 0; i < n.length; i++) {
      if (n[i] == name) {
        return i;
      }
    }
    for (int i = 0; i < n.length; i++) {
      if (n[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Returns a builder holding this context's values. */
  public Builder toBuilder() {
    Builder b = new Builder(key).kind(kind).anonymous(anonymous);
    b.attributes.putAll(attributes);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvaluationContext c
        && c.key.equals(key)
        && c.kind.equals(kind)
        && c.anonymous == anonymous
        && c.attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, kind, anonymous, attributes);
  }

  @Override
  public String toString() {
    return "EvaluationContext{key="
        + key
        + ", kind="
        + kind
        + (anonymous ? ", anonymous" : "")
        + ", attributes="
        + attributes
        + "}";
  }

  /** Builds an {@link EvaluationContext}; not thread-safe. */
  public static final class Builder {
    private final String key;
    private String kind = DEFAULT_KIND;
    private boolean anonymous;
    private final Map<String, JsonValue> attributes = new HashMap<>();

    private Builder(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("context key must not be empty");
      }
      this.key = key;
    }

    /** Sets the kind (default {@code user}). */
    public Builder kind(String kind) {
      Objects.requireNonNull(kind, "kind");
      if (kind.isEmpty()) {
        throw new IllegalArgumentException("context kind must not be empty");
      }
      this.kind = kind;
      return this;
    }

    /** Marks the context anonymous. */
    public Builder anonymous(boolean anonymous) {
      this.anonymous = anonymous;
      return this;
    }

    /** Sets a string attribute. */
    public Builder set(String name, String value) {
      return put(name, JsonValue.of(value));
    }

    /** Sets a number attribute. */
    public Builder set(String name, long value) {
      return put(name, JsonValue.of(value));
    }

    /** Sets a number attribute. */
    public Builder set(String name, double value) {
      return put(name, JsonValue.of(value));
    }

    /** Sets a boolean attribute. */
    public Builder set(String name, boolean value) {
      return put(name, JsonValue.of(value));
    }

    /** Sets a list attribute; elements are converted with {@link JsonValue#from}. */
    public Builder set(String name, List<?> values) {
      return put(name, JsonValue.from(values));
    }

    /** Sets any JSON attribute. */
    public Builder set(String name, JsonValue value) {
      return put(name, value);
    }

    private Builder put(String name, JsonValue value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.equals("key") || name.equals("kind") || name.equals("anonymous")) {
        throw new IllegalArgumentException(
            "\"" + name + "\" is a built-in attribute; use the builder's own method");
      }
      attributes.put(name, value);
      return this;
    }

    /** Builds the context. */
    public EvaluationContext build() {
      return new EvaluationContext(key, kind, anonymous, new HashMap<>(attributes));
    }
  }
}
