package dev.flags.core.json;

import java.util.HashSet;

/**
 * A strict RFC 8259 parser building a {@link Node} tree. It scans a {@code char[]} by hand (no
 * regex, no exception used for control flow) and enforces the codec's limits while it reads, so a
 * hostile document costs at most one pass over its characters.
 *
 * <p>Strict means: no trailing data, no duplicate member names, no comments or trailing commas,
 * only the escapes JSON defines, no unescaped control characters, no lone surrogates (escaped or
 * not), no leading zeros, numbers of at most {@link FlagCodec#MAX_NUMBER_LENGTH} characters with an
 * exponent of at most {@link FlagCodec#MAX_EXPONENT}, nesting up to the depth limit.
 *
 * <p>One instance parses one document; not thread-safe.
 */
final class JsonParser {
  /** Above this many members, duplicate names are found with a hash set instead of a scan. */
  private static final int SCAN_LIMIT = 12;

  private final char[] buf;
  private final int start;
  private final int end;
  private final int maxDepth;
  private final int maxStringLength;
  private int pos;
  private int depth;

  private JsonParser(char[] buf, int start, int end, int maxDepth, int maxStringLength) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.maxDepth = maxDepth;
    this.maxStringLength = maxStringLength;
    this.pos = start;
  }

  /** Parses {@code buf[start, end)} as exactly one JSON value. */
  static Node parse(char[] buf, int start, int end, int maxDepth, int maxStringLength) {
    return new JsonParser(buf, start, end, maxDepth, maxStringLength).document();
  }

  private Node document() {
    skipWhitespace();
    if (pos >= end) {
      throw error(pos, "", "the document is empty");
    }
    Node root = value(null, null, -1);
    skipWhitespace();
    if (pos < end) {
      throw error(pos, "", "unexpected " + describe(pos) + " after the JSON value");
    }
    return root;
  }

  private Node value(Node parent, String name, int index) {
    if (pos >= end) {
      throw error(
          pos, pathOf(parent, name, index), "unexpected end of the document, expected a value");
    }
    char c = buf[pos];
    Node node;
    switch (c) {
      case '{' -> {
        node = new Node(Node.OBJECT, pos);
        link(node, parent, name, index);
        object(node);
      }
      case '[' -> {
        node = new Node(Node.ARRAY, pos);
        link(node, parent, name, index);
        array(node);
      }
      case '"' -> {
        node = new Node(Node.STRING, pos);
        link(node, parent, name, index);
        node.text = string(node);
      }
      case 't' -> node = literal("true", Node.TRUE, parent, name, index);
      case 'f' -> node = literal("false", Node.FALSE, parent, name, index);
      case 'n' -> node = literal("null", Node.NULL, parent, name, index);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          node = new Node(Node.NUMBER, pos);
          link(node, parent, name, index);
          number(node);
        } else {
          throw error(
              pos,
              pathOf(parent, name, index),
              "unexpected " + describe(pos) + ", expected a value");
        }
      }
    }
    return node;
  }

  private static void link(Node node, Node parent, String name, int index) {
    node.parent = parent;
    node.name = name;
    node.index = index;
  }

  private void enter(Node node) {
    if (++depth > maxDepth) {
      throw error(node.pos, node.path(), "nesting deeper than " + maxDepth + " levels");
    }
  }

  private void object(Node obj) {
    enter(obj);
    pos++;
    skipWhitespace();
    if (pos < end && buf[pos] == '}') {
      pos++;
      depth--;
      return;
    }
    HashSet<String> names = null;
    while (true) {
      if (pos >= end) {
        throw error(pos, obj.path(), "unexpected end of the document, expected a member name");
      }
      if (buf[pos] != '"') {
        throw error(
            pos,
            obj.path(),
            "unexpected " + describe(pos) + ", expected a member name in double quotes");
      }
      int keyPos = pos;
      String key = name(obj);
      if (names == null) {
        for (int i = 0; i < obj.size; i++) {
          if (obj.items[i].name.equals(key)) {
            throw duplicate(keyPos, obj, key);
          }
        }
        if (obj.size >= SCAN_LIMIT) {
          names = new HashSet<>();
          for (int i = 0; i < obj.size; i++) {
            names.add(obj.items[i].name);
          }
          names.add(key);
        }
      } else if (!names.add(key)) {
        throw duplicate(keyPos, obj, key);
      }
      skipWhitespace();
      if (pos >= end || buf[pos] != ':') {
        throw error(
            pos,
            Node.join(obj.path(), key),
            (pos >= end ? "unexpected end of the document" : "unexpected " + describe(pos))
                + ", expected ':'");
      }
      pos++;
      skipWhitespace();
      add(obj, value(obj, key, -1));
      skipWhitespace();
      if (pos >= end) {
        throw error(pos, obj.path(), "unexpected end of the document, expected ',' or '}'");
      }
      char c = buf[pos++];
      if (c == ',') {
        skipWhitespace();
      } else if (c == '}') {
        depth--;
        return;
      } else {
        throw error(
            pos - 1, obj.path(), "unexpected " + describe(pos - 1) + ", expected ',' or '}'");
      }
    }
  }

  private FlagFormatException duplicate(int keyPos, Node obj, String key) {
    return error(keyPos, Node.join(obj.path(), key), "duplicate member \"" + key + "\"");
  }

  private void array(Node arr) {
    enter(arr);
    pos++;
    skipWhitespace();
    if (pos < end && buf[pos] == ']') {
      pos++;
      depth--;
      return;
    }
    while (true) {
      add(arr, value(arr, null, arr.size));
      skipWhitespace();
      if (pos >= end) {
        throw error(pos, arr.path(), "unexpected end of the document, expected ',' or ']'");
      }
      char c = buf[pos++];
      if (c == ',') {
        skipWhitespace();
      } else if (c == ']') {
        depth--;
        return;
      } else {
        throw error(
            pos - 1, arr.path(), "unexpected " + describe(pos - 1) + ", expected ',' or ']'");
      }
    }
  }

  private static void add(Node container, Node child) {
    if (container.size == container.items.length) {
      Node[] grown = new Node[Math.max(4, container.size * 2)];
      System.arraycopy(container.items, 0, grown, 0, container.size);
      container.items = grown;
    }
    container.items[container.size++] = child;
  }

  private Node literal(String word, byte type, Node parent, String name, int index) {
    int n = word.length();
    if (end - pos < n || !matches(word)) {
      throw error(
          pos, pathOf(parent, name, index), "unexpected " + describe(pos) + ", expected a value");
    }
    Node node = new Node(type, pos);
    link(node, parent, name, index);
    pos += n;
    return node;
  }

  private boolean matches(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (buf[pos + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads a member name. The format's own names come back as one shared instance, whose hash code
   * is already computed: the decoder switches on names, and hashing a fresh copy of every name was
   * the largest single cost of decoding a big set.
   */
  private String name(Node obj) {
    int i = pos + 1;
    int h = 0;
    while (i < end) {
      char c = buf[i];
      if (c == '"') {
        String known = Names.lookup(buf, pos + 1, i - pos - 1, h);
        if (known != null) {
          pos = i + 1;
          return known;
        }
        break;
      }
      if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        break;
      }
      h = 31 * h + c;
      i++;
    }
    return string(obj);
  }

  /**
   * Reads a string starting at the opening quote. {@code owner} is the node the string belongs to
   * (the string value itself, or the object whose member name it is), for error paths.
   */
  private String string(Node owner) {
    int open = pos;
    int i = pos + 1;
    // Fast path: no escapes, no control characters, no surrogates: one copy.
    while (i < end) {
      char c = buf[i];
      if (c == '"') {
        int len = i - open - 1;
        if (len > maxStringLength) {
          throw tooLong(open, owner);
        }
        pos = i + 1;
        return new String(buf, open + 1, len);
      }
      if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        break;
      }
      i++;
    }
    StringBuilder sb = new StringBuilder(Math.max(16, i - open + 16));
    sb.append(buf, open + 1, i - open - 1);
    while (true) {
      if (i >= end) {
        throw error(open, owner.path(), "unterminated string");
      }
      if (sb.length() > maxStringLength) {
        throw tooLong(open, owner);
      }
      char c = buf[i];
      if (c == '"') {
        pos = i + 1;
        return sb.toString();
      }
      if (c < 0x20) {
        throw error(
            i,
            owner.path(),
            String.format("control character U+%04X must be escaped in a string", (int) c));
      }
      int unitStart = i;
      if (c == '\\') {
        if (i + 1 >= end) {
          throw error(open, owner.path(), "unterminated string");
        }
        char e = buf[i + 1];
        switch (e) {
          case '"', '\\', '/' -> {
            sb.append(e);
            i += 2;
            continue;
          }
          case 'b' -> {
            sb.append('\b');
            i += 2;
            continue;
          }
          case 'f' -> {
            sb.append('\f');
            i += 2;
            continue;
          }
          case 'n' -> {
            sb.append('\n');
            i += 2;
            continue;
          }
          case 'r' -> {
            sb.append('\r');
            i += 2;
            continue;
          }
          case 't' -> {
            sb.append('\t');
            i += 2;
            continue;
          }
          case 'u' -> {
            c = unicodeEscape(i, owner);
            i += 6;
          }
          default -> throw error(i, owner.path(), "invalid escape " + describeEscape(i));
        }
      } else {
        i++;
      }
      if (Character.isHighSurrogate(c)) {
        // The low half must follow, raw or escaped.
        char low;
        if (i + 1 < end && buf[i] == '\\' && buf[i + 1] == 'u') {
          low = unicodeEscape(i, owner);
          if (Character.isLowSurrogate(low)) {
            i += 6;
          }
        } else {
          low = i < end ? buf[i] : 0;
          if (Character.isLowSurrogate(low)) {
            i++;
          }
        }
        if (!Character.isLowSurrogate(low)) {
          throw error(
              unitStart,
              owner.path(),
              String.format(
                  "lone surrogate U+%04X in a string: strings must be valid Unicode", (int) c));
        }
        sb.append(c).append(low);
      } else if (Character.isLowSurrogate(c)) {
        throw error(
            unitStart,
            owner.path(),
            String.format(
                "lone surrogate U+%04X in a string: strings must be valid Unicode", (int) c));
      } else {
        sb.append(c);
      }
    }
  }

  private FlagFormatException tooLong(int open, Node owner) {
    return error(open, owner.path(), "string longer than " + maxStringLength + " characters");
  }

  /** Decodes the {@code \}{@code uXXXX} escape at {@code at} (the backslash). */
  private char unicodeEscape(int at, Node owner) {
    if (at + 6 > end) {
      throw error(
          at, owner.path(), "invalid escape " + describeEscape(at) + ": \\u takes four hex digits");
    }
    int v = 0;
    for (int k = at + 2; k < at + 6; k++) {
      char h = buf[k];
      int d;
      if (h >= '0' && h <= '9') {
        d = h - '0';
      } else if (h >= 'a' && h <= 'f') {
        d = h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        d = h - 'A' + 10;
      } else {
        throw error(
            at,
            owner.path(),
            "invalid escape " + describeEscape(at) + ": \\u takes four hex digits");
      }
      v = (v << 4) | d;
    }
    return (char) v;
  }

  private String describeEscape(int at) {
    int stop = Math.min(end, at + 6);
    StringBuilder sb = new StringBuilder("\"");
    for (int k = at; k < stop; k++) {
      char c = buf[k];
      if (c == '"' && k > at) {
        break;
      }
      if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
      if (k == at + 1 && c != 'u') {
        break;
      }
    }
    return sb.append('"').toString();
  }

  private void number(Node node) {
    int s = pos;
    int i = pos;
    if (buf[i] == '-') {
      i++;
    }
    if (i >= end || buf[i] < '0' || buf[i] > '9') {
      throw error(s, node.path(), "invalid number: expected a digit after '-'");
    }
    if (buf[i] == '0') {
      i++;
      if (i < end && buf[i] >= '0' && buf[i] <= '9') {
        throw error(s, node.path(), "invalid number: leading zeros are not allowed");
      }
    } else {
      while (i < end && buf[i] >= '0' && buf[i] <= '9') {
        i++;
      }
    }
    boolean integral = true;
    if (i < end && buf[i] == '.') {
      integral = false;
      i++;
      int digits = i;
      while (i < end && buf[i] >= '0' && buf[i] <= '9') {
        i++;
      }
      if (i == digits) {
        throw error(s, node.path(), "invalid number: expected a digit after '.'");
      }
    }
    if (i < end && (buf[i] == 'e' || buf[i] == 'E')) {
      integral = false;
      i++;
      if (i < end && (buf[i] == '+' || buf[i] == '-')) {
        i++;
      }
      int digits = i;
      while (i < end && buf[i] == '0') {
        i++;
      }
      long exponent = 0;
      while (i < end && buf[i] >= '0' && buf[i] <= '9') {
        if (exponent <= FlagCodec.MAX_EXPONENT) {
          exponent = exponent * 10 + (buf[i] - '0');
        }
        i++;
      }
      if (i == digits) {
        throw error(s, node.path(), "invalid number: expected a digit in the exponent");
      }
      if (exponent > FlagCodec.MAX_EXPONENT) {
        throw error(
            s,
            node.path(),
            "number out of range: the exponent is limited to " + FlagCodec.MAX_EXPONENT);
      }
    }
    if (i - s > FlagCodec.MAX_NUMBER_LENGTH) {
      throw error(
          s,
          node.path(),
          "number out of range: longer than " + FlagCodec.MAX_NUMBER_LENGTH + " characters");
    }
    node.text = new String(buf, s, i - s);
    node.integral = integral;
    pos = i;
  }

  private void skipWhitespace() {
    int i = pos;
    while (i < end) {
      char c = buf[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    pos = i;
  }

  private String describe(int at) {
    if (at >= end) {
      return "end of the document";
    }
    char c = buf[at];
    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || Character.isSpaceChar(c) && c != ' ') {
      return String.format("character U+%04X", (int) c);
    }
    return "character '" + c + "'";
  }

  private static String pathOf(Node parent, String name, int index) {
    if (parent == null) {
      return "";
    }
    return Node.join(parent.path(), name != null ? name : "[" + index + "]");
  }

  private FlagFormatException error(int at, String path, String problem) {
    return Locations.error(buf, start, at, path, problem);
  }
}
