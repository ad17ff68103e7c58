package dev.flags.core;

import dev.flags.core.json.FlagCodec;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The canonical pretty form of a flag file, as {@link FileFlagAdmin} writes it: members in the
 * order they are given (the order the codec writes a flag in, the file's order of flags), two
 * spaces of indentation, {@code "\n"} line ends and one at the end. A container holding only
 * scalars (or empty containers) is written on one line when that line fits in {@link #WIDTH}
 * characters; any other container, the root and the maps of definitions have one member per line.
 * The form depends only on the value, so writing a file again after changing one flag changes only
 * that flag's lines. Scalars and member names are written by the codec, so strings are escaped
 * exactly as everywhere else.
 *
 * <p>Stateless and thread-safe.
 */
final class PrettyJson {

  /** The longest line a one-line container may make, indentation included. */
  static final int WIDTH = 100;

  /**
   * The root and the maps of definitions ({@code "flags"}, {@code "segments"}) always have one
   * member per line, so adding a definition adds lines and never rewrites a line.
   */
  private static final int ALWAYS_MULTI_LINE_DEPTH = 2;

  private final FlagCodec codec;

  PrettyJson(FlagCodec codec) {
    this.codec = codec;
  }

  /** The value in its pretty form, ending with a line end. */
  String write(JsonValue value) {
    StringBuilder out = new StringBuilder(4096);
    value(out, value, 0, 0);
    return out.append('\n').toString();
  }

  /**
   * Writes {@code value} where the current line already has {@code column} characters and nested
   * lines are indented by {@code depth} levels.
   */
  private void value(StringBuilder out, JsonValue value, int depth, int column) {
    String line = oneLine(value, depth, column);
    if (line != null) {
      out.append(line);
    } else if (value instanceof JsonValue.Obj o) {
      out.append('{');
      Iterator<Map.Entry<String, JsonValue>> it = o.members().entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonValue> e = it.next();
        newline(out, depth + 1);
        String name = codec.write(JsonValue.of(e.getKey())) + ": ";
        out.append(name);
        value(out, e.getValue(), depth + 1, indent(depth + 1) + name.length());
        if (it.hasNext()) {
          out.append(',');
        }
      }
      newline(out, depth);
      out.append('}');
    } else {
      List<JsonValue> elements = ((JsonValue.Arr) value).elements();
      out.append('[');
      for (int i = 0; i < elements.size(); i++) {
        newline(out, depth + 1);
        value(out, elements.get(i), depth + 1, indent(depth + 1));
        if (i < elements.size() - 1) {
          out.append(',');
        }
      }
      newline(out, depth);
      out.append(']');
    }
  }

  /**
   * The value on one line: a scalar, an empty container, or a container of scalars that fits; null
   * when it must take several lines.
   */
  private @Nullable String oneLine(JsonValue value, int depth, int column) {
    Collection<JsonValue> members;
    if (value instanceof JsonValue.Obj o) {
      members = o.members().values();
    } else if (value instanceof JsonValue.Arr a) {
      members = a.elements();
    } else {
      return codec.write(value);
    }
    if (members.isEmpty()) {
      return value instanceof JsonValue.Obj ? "{}" : "[]";
    }
    if (depth < ALWAYS_MULTI_LINE_DEPTH) {
      return null;
    }
    for (JsonValue m : members) {
      if (m instanceof JsonValue.Obj o && !o.members().isEmpty()) {
        return null;
      }
      if (m instanceof JsonValue.Arr a && !a.elements().isEmpty()) {
        return null;
      }
    }
    String line = inline(value);
    // The comma that may follow counts too, so a line never exceeds the width.
    return column + line.length() + 1 <= WIDTH ? line : null;
  }

  /** A container of scalars on one line: {@code [1, 2]}, {@code {"a": 1, "b": true}}. */
  private String inline(JsonValue container) {
    StringBuilder out = new StringBuilder();
    if (container instanceof JsonValue.Obj o) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        out.append(codec.write(JsonValue.of(e.getKey()))).append(": ");
        out.append(codec.write(e.getValue()));
      }
      return out.append('}').toString();
    }
    JsonValue.Arr a = (JsonValue.Arr) container;
    out.append('[');
    for (int i = 0; i < a.elements().size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(codec.write(a.elements().get(i)));
    }
    return out.append(']').toString();
  }

  private static void newline(StringBuilder out, int depth) {
    out.append('\n');
    out.append(" ".repeat(indent(depth)));
  }

  private static int indent(int depth) {
    return 2 * depth;
  }
}
