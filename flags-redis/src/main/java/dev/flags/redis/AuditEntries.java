package dev.flags.redis;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.DefinitionKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads audit stream entries (docs/redis-layout.md): fields {@code kind}, {@code key}, {@code
 * action}, {@code actor}, {@code version}, {@code reason}, {@code before}, {@code after}, {@code
 * prev}. Entries written before the {@code kind}/{@code key}/{@code action} fields existed ({@code
 * flag <key>} or {@code segment <key>}) are read too, their action inferred.
 */
final class AuditEntries {

  private static final Pattern ID = Pattern.compile("\\d{1,20}-\\d{1,20}");

  private AuditEntries() {}

  /** Whether {@code id} has the form of a stream entry id ({@code <millis>-<seq>}). */
  static boolean isId(String id) {
    return ID.matcher(id).matches();
  }

  /** An entry as a script returns it: {@code {id, {field, value, ...}}}. */
  static AuditEntry fromReply(Object reply) {
    List<?> e = (List<?>) reply;
    List<?> flat = (List<?>) e.get(1);
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put((String) flat.get(i), (String) flat.get(i + 1));
    }
    return parse((String) e.get(0), fields);
  }

  static AuditEntry parse(String id, Map<String, String> f) {
    DefinitionKind kind;
    String key;
    if (f.containsKey("kind")) {
      kind = "segment".equals(f.get("kind")) ? DefinitionKind.SEGMENT : DefinitionKind.FLAG;
      key = f.getOrDefault("key", "");
    } else if (f.containsKey("segment")) {
      kind = DefinitionKind.SEGMENT;
      key = f.get("segment");
    } else {
      kind = DefinitionKind.FLAG;
      key = f.getOrDefault("flag", "");
    }
    String actor = f.getOrDefault("actor", "");
    Optional<String> before = Optional.ofNullable(f.get("before"));
    Optional<String> after = Optional.ofNullable(f.get("after"));
    String action = f.get("action");
    if (action == null) {
      action =
          actor.equals(AuditEntry.RAW_EDIT_ACTOR)
              ? AuditEntry.ACTION_RAW_EDIT
              : before.isEmpty()
                  ? AuditEntry.ACTION_CREATE
                  : after.isEmpty() ? AuditEntry.ACTION_DELETE : AuditEntry.ACTION_UPDATE;
    }
    long version;
    try {
      version = Long.parseLong(f.getOrDefault("version", "0"));
    } catch (NumberFormatException e) {
      version = 0;
    }
    return new AuditEntry(
        id,
        Instant.ofEpochMilli(millisOf(id)),
        kind,
        key,
        version,
        action,
        actor,
        f.getOrDefault("reason", ""),
        before,
        after);
  }

  static long millisOf(String id) {
    int dash = id.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
