package dev.flags.core.json;

/**
 * One value of a parsed JSON document, with where it was written. The parser builds a tree of
 * these; the decoder maps it to the model, and uses the positions and parent links to say where a
 * problem is. Paths and line/column numbers are only computed when an error is reported, so the
 * successful path pays for two fields per value. Mutable while the parser builds it; never shared.
 */
final class Node {
  static final byte OBJECT = 1;
  static final byte ARRAY = 2;
  static final byte STRING = 3;
  static final byte NUMBER = 4;
  static final byte TRUE = 5;
  static final byte FALSE = 6;
  static final byte NULL = 7;

  private static final Node[] NO_ITEMS = new Node[0];

  final byte type;

  /** Offset of the first character of this value in the parsed text. */
  final int pos;

  /** The object holding this value as a member, or the array holding it as an element. */
  Node parent;

  /** The member name, when the parent is an object. */
  String name;

  /** The element index, when the parent is an array. */
  int index;

  /** A string's value, or a number's literal text. */
  String text;

  /** A number literal without fraction or exponent. */
  boolean integral;

  /** Members of an object (with their {@link #name}), or elements of an array. */
  Node[] items = NO_ITEMS;

  int size;

  Node(byte type, int pos) {
    this.type = type;
    this.pos = pos;
  }

  /** The member called {@code key}, or null. Objects are small, so a scan beats a hash. */
  Node get(String key) {
    for (int i = 0; i < size; i++) {
      if (items[i].name.equals(key)) {
        return items[i];
      }
    }
    return null;
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
        if (idx < 0 || idx >= node.size) {
          return node;
        }
        node = node.items[idx];
        i = close + 1;
        continue;
      }
      if (node.type != OBJECT) {
        return node;
      }
      Node best = null;
      int bestEnd = -1;
      for (int m = 0; m < node.size; m++) {
        String key = node.items[m].name;
        int end = i + key.length();
        if (relative.startsWith(key, i)
            && (end == n || relative.charAt(end) == '.' || relative.charAt(end) == '[')
            && end > bestEnd) {
          best = node.items[m];
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
}
