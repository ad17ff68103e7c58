package dev.flags.core.json;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One value of a well-formed document (checked by {@link SyntaxChecker}), found where it is
 * written: a cursor, not a tree. {@link FlagDecoder} asks a node for its members or elements, which
 * are found by scanning the text and made on demand, and drops them as it goes; what it keeps is
 * the model. So reading a document costs its text plus the model, not a tree of objects per value
 * (which cost 55 times the text). Scanning a value again to skip it costs time, not memory, and
 * only on the reference road, which documents the fast decoder gave up on take.
 *
 * <p>The parent links give the path of a value ({@code rules[2].clauses[0].op}) and its position
 * gives the line and column, both only computed when an error is reported. Immutable; never shared.
 */
final class Node {
  static final byte OBJECT = 1;
  static final byte ARRAY = 2;
  static final byte STRING = 3;
  static final byte NUMBER = 4;
  static final byte TRUE = 5;
  static final byte FALSE = 6;
  static final byte NULL = 7;

  /** The whole document; well formed. */
  final String text;

  final byte type;

  /** Offset of the first character of this value in the text. */
  final int pos;

  /** The object holding this value as a member, or the array holding it as an element. */
  final @Nullable Node parent;

  /** The member name, when the parent is an object; else empty. */
  final String name;

  /** The element index, when the parent is an array. */
  final int index;

  private int end = -1; // where the value ends, once skipped

  Node(String text, int pos, @Nullable Node parent, String name, int index) {
    this.text = text;
    this.pos = pos;
    this.parent = parent;
    this.name = name;
    this.index = index;
    this.type = typeAt(text, pos);
  }

  /** The root value of a well-formed document. */
  static Node root(String text, int start) {
    return new Node(text, skipWhitespace(text, start), null, "", -1);
  }

  private static byte typeAt(String s, int pos) {
    return switch (s.charAt(pos)) {
      case '{' -> OBJECT;
      case '[' -> ARRAY;
      case '"' -> STRING;
      case 't' -> TRUE;
      case 'f' -> FALSE;
      case 'n' -> NULL;
      default -> NUMBER;
    };
  }

  // ---------------------------------------------------------------- navigation

  /** The first member of an object or element of an array; null when it is empty or neither. */
  @Nullable Node first() {
    if (type != OBJECT && type != ARRAY) {
      return null;
    }
    return child(skipWhitespace(text, pos + 1), 0, this);
  }

  /** The member or element after this one in its parent; null at the last. */
  @Nullable Node next() {
    int p = skipWhitespace(text, end());
    if (text.charAt(p) != ',') {
      return null;
    }
    // Only members and elements have a next, and they have a parent.
    return child(skipWhitespace(text, p + 1), index + 1, Objects.requireNonNull(parent));
  }

  /** The child of {@code container} starting at {@code p}: a member (name first) or an element. */
  private static @Nullable Node child(int p, int index, Node container) {
    String s = container.text;
    char c = s.charAt(p);
    if (c == '}' || c == ']') {
      return null;
    }
    if (container.type == ARRAY) {
      return new Node(s, p, container, "", index);
    }
    String memberName = decodeString(s, p);
    int colon = skipWhitespace(s, skipString(s, p));
    return new Node(s, skipWhitespace(s, colon + 1), container, memberName, index);
  }

  /** The member called {@code key}, or null. */
  @Nullable Node get(String key) {
    if (type != OBJECT) {
      return null;
    }
    for (Node m = first(); m != null; m = m.next()) {
      if (m.name.equals(key)) {
        return m;
      }
    }
    return null;
  }

  /** Offset just after this value. */
  int end() {
    if (end < 0) {
      end = skipValue(text, pos);
    }
    return end;
  }

  // ---------------------------------------------------------------- values

  /** A string's value. */
  String string() {
    return decodeString(text, pos);
  }

  /** A number's literal text. */
  String numberText() {
    return text.substring(pos, end());
  }

  /** Whether a number literal has no fraction and no exponent. */
  boolean integral() {
    for (int i = pos, e = end(); i < e; i++) {
      char c = text.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') {
        return false;
      }
    }
    return true;
  }

  static String typeName(byte type) {
    return switch (type) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case TRUE, FALSE -> "a boolean";
      default -> "null";
    };
  }

  String typeName() {
    return typeName(type);
  }

  // ---------------------------------------------------------------- paths

  /** The JSON path of this value, as error messages print it: {@code rules[2].clauses[0].op}. */
  String path() {
    if (parent == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    appendPath(sb);
    return sb.toString();
  }

  private void appendPath(StringBuilder sb) {
    if (parent == null) {
      return;
    }
    parent.appendPath(sb);
    if (parent.type == OBJECT) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(name);
    } else {
      sb.append('[').append(index).append(']');
    }
  }

  /** Joins a parent path and a relative path the way {@link #path()} does. */
  static String join(String parent, String relative) {
    if (relative.isEmpty()) {
      return parent;
    }
    if (parent.isEmpty()) {
      return relative;
    }
    return relative.startsWith("[") ? parent + relative : parent + "." + relative;
  }

  /**
   * Follows a relative path such as {@code rules[1].rollout.weights[0].variation} from this value
   * as far as the document has it, and returns the deepest value reached. Member names may contain
   * dots (flag keys do), so at each object the longest matching member name wins.
   */
  Node resolve(String relative) {
    Node node = this;
    int i = 0;
    int n = relative.length();
    while (i < n) {
      char c = relative.charAt(i);
      if (c == '.') {
        i++;
        continue;
      }
      if (c == '[') {
        int close = relative.indexOf(']', i);
        if (close < 0 || node.type != ARRAY) {
          return node;
        }
        int idx;
        try {
          idx = Integer.parseInt(relative.substring(i + 1, close));
        } catch (NumberFormatException e) {
          return node;
        }
        Node element = node.first();
        while (element != null && element.index < idx) {
          element = element.next();
        }
        if (element == null || idx < 0) {
          return node;
        }
        node = element;
        i = close + 1;
        continue;
      }
      if (node.type != OBJECT) {
        return node;
      }
      Node best = null;
      int bestEnd = -1;
      for (Node m = node.first(); m != null; m = m.next()) {
        String key = m.name;
        int end = i + key.length();
        if (relative.startsWith(key, i)
            && (end == n || relative.charAt(end) == '.' || relative.charAt(end) == '[')
            && end > bestEnd) {
          best = m;
          bestEnd = end;
        }
      }
      if (best == null) {
        return node;
      }
      node = best;
      i = bestEnd;
    }
    return node;
  }

  // ---------------------------------------------------------------- scanning well-formed text

  static int skipWhitespace(String s, int p) {
    int n = s.length();
    while (p < n) {
      char c = s.charAt(p);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      p++;
    }
    return p;
  }

  /** Offset after the string whose opening quote is at {@code p}. */
  static int skipString(String s, int p) {
    int i = p + 1;
    while (true) {
      char c = s.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      i += c == '\\' ? 2 : 1;
    }
  }

  /** Offset after the value starting at {@code p}; iterative, so nesting costs no stack. */
  static int skipValue(String s, int p) {
    char c = s.charAt(p);
    switch (c) {
      case '"':
        return skipString(s, p);
      case 't':
      case 'n':
        return p + 4;
      case 'f':
        return p + 5;
      case '{':
      case '[':
        int depth = 0;
        int i = p;
        while (true) {
          char d = s.charAt(i);
          if (d == '"') {
            i = skipString(s, i);
            continue;
          }
          if (d == '{' || d == '[') {
            depth++;
          } else if (d == '}' || d == ']') {
            if (--depth == 0) {
              return i + 1;
            }
          }
          i++;
        }
      default:
        int j = p;
        int n = s.length();
        while (j < n) {
          char d = s.charAt(j);
          if ((d >= '0' && d <= '9') || d == '-' || d == '+' || d == '.' || d == 'e' || d == 'E') {
            j++;
          } else {
            break;
          }
        }
        return j;
    }
  }

  /** The value of the well-formed string whose opening quote is at {@code quote}. */
  static String decodeString(String s, int quote) {
    int i = quote + 1;
    int close = i;
    while (true) {
      char c = s.charAt(close);
      if (c == '"') {
        return s.substring(i, close); // no escapes: one copy
      }
      if (c == '\\') {
        break;
      }
      close++;
    }
    StringBuilder sb = new StringBuilder(close - i + 16);
    sb.append(s, i, close);
    i = close;
    while (true) {
      char c = s.charAt(i);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        i++;
        continue;
      }
      char e = s.charAt(i + 1);
      if (e == 'u') {
        int v = 0;
        for (int k = i + 2; k < i + 6; k++) {
          v = (v << 4) | hexDigit(s.charAt(k));
        }
        sb.append((char) v);
        i += 6;
      } else {
        sb.append(unescape(e));
        i += 2;
      }
    }
  }

  /** Whether the well-formed strings at two opening quotes have the same value. */
  static boolean sameString(String s, int quoteA, int quoteB) {
    return decodeString(s, quoteA).equals(decodeString(s, quoteB));
  }

  /** The character a one-letter escape stands for ({@code n} for a line feed…). */
  static char unescape(char e) {
    return switch (e) {
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      default -> e; // '"', '\\', '/'
    };
  }

  /** The value of an ASCII hex digit, or -1. */
  static int hexDigit(char h) {
    if (h >= '0' && h <= '9') {
      return h - '0';
    }
    if (h >= 'a' && h <= 'f') {
      return h - 'a' + 10;
    }
    if (h >= 'A' && h <= 'F') {
      return h - 'A' + 10;
    }
    return -1;
  }
}
