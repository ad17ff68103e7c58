package dev.flags.core;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.json.FlagCodec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One audit entry as one line of the audit file beside a flag file ({@code
 * flags.json.audit.jsonl}): a JSON object with the {@link AuditEntry} fields, {@code before} and
 * {@code after} as the stored text (absent when empty), for example
 *
 * <pre>{@code
 * {"id":"1767225600000-0","time":"2026-01-01T00:00:00Z","kind":"flag","key":"banner","version":2,
 *  "action":"update","actor":"bob","reason":"too loud","before":"true","after":"false"}
 * }</pre>
 *
 * (on one line). Ids are {@code <milliseconds>-<sequence>}, like Redis stream ids: ordered, and
 * unique in one audit file because every writer holds the file's lock. Stateless and thread-safe.
 */
final class FileAuditLines {

  private final FlagCodec codec;

  FileAuditLines(FlagCodec codec) {
    this.codec = codec;
  }

  /** The entry as one line, without the line end. */
  String encode(AuditEntry e) {
    return codec.write(toJson(e));
  }

  JsonValue.Obj toJson(AuditEntry e) {
    Map<String, JsonValue> m = new LinkedHashMap<>();
    m.put("id", JsonValue.of(e.id()));
    m.put("time", JsonValue.of(e.time().toString()));
    m.put("kind", JsonValue.of(kindName(e.kind())));
    m.put("key", JsonValue.of(e.key()));
    m.put("version", JsonValue.of(e.version()));
    m.put("action", JsonValue.of(e.action()));
    m.put("actor", JsonValue.of(e.actor()));
    m.put("reason", JsonValue.of(e.reason()));
    e.before().ifPresent(b -> m.put("before", JsonValue.of(b)));
    e.after().ifPresent(a -> m.put("after", JsonValue.of(a)));
    return new JsonValue.Obj(m);
  }

  /**
   * Reads one line.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  AuditEntry decode(String line) {
    if (!(codec.parse(line) instanceof JsonValue.Obj o)) {
      throw new IllegalArgumentException("an audit line is a JSON object");
    }
    return fromJson(o);
  }

  AuditEntry fromJson(JsonValue.Obj o) {
    Map<String, JsonValue> m = o.members();
    String time = string(m, "time");
    Instant instant;
    try {
      instant = Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time: not an instant: " + time);
    }
    return new AuditEntry(
        string(m, "id"),
        instant,
        kind(string(m, "kind")),
        string(m, "key"),
        number(m, "version"),
        string(m, "action"),
        string(m, "actor"),
        m.containsKey("reason") ? string(m, "reason") : "",
        m.containsKey("before") ? Optional.of(string(m, "before")) : Optional.empty(),
        m.containsKey("after") ? Optional.of(string(m, "after")) : Optional.empty());
  }

  static String kindName(DefinitionKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Compares two ids: {@code <millis>-<sequence>} numerically, anything else (written by another
   * tool) after them, as text.
   */
  static int compareIds(String a, String b) {
    long[] x = parseId(a);
    long[] y = parseId(b);
    if (x != null && y != null) {
      int c = Long.compare(x[0], y[0]);
      return c != 0 ? c : Long.compare(x[1], y[1]);
    }
    if (x != null) {
      return -1;
    }
    if (y != null) {
      return 1;
    }
    return a.compareTo(b);
  }

  /** The milliseconds and sequence of an id, or null when it has another form. */
  static long @Nullable [] parseId(String id) {
    int dash = id.indexOf('-');
    if (dash <= 0 || dash == id.length() - 1 || dash > 19 || id.length() - dash > 20) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      if (i != dash && (id.charAt(i) < '0' || id.charAt(i) > '9')) {
        return null;
      }
    }
    try {
      return new long[] {
        Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static DefinitionKind kind(String name) {
    for (DefinitionKind k : DefinitionKind.values()) {
      if (kindName(k).equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("kind: expected flag or segment, got \"" + name + "\"");
  }

  private static String string(Map<String, JsonValue> m, String name) {
    if (m.get(name) instanceof JsonValue.Str s) {
      return s.value();
    }
    throw new IllegalArgumentException(name + ": expected a string");
  }

  private static long number(Map<String, JsonValue> m, String name) {
    if (m.get(name) instanceof JsonValue.Num n) {
      try {
        return n.value().longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(name + ": expected an integer, got " + n);
      }
    }
    throw new IllegalArgumentException(name + ": expected a number");
  }
}
