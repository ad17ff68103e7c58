package dev.flags.redis;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.DefinitionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The typed call of {@link Scripts#READ}: reads flags or segments, recording a raw edit (a value
 * changed without the SDK) once, whoever notices it first, and repairing damaged internal keys.
 * Used by the store for each key it reloads and by the admin for every read. Immutable.
 *
 * {@snippet :
 * ReadScript.Result r =
 *     new ReadScript(layout, DefinitionKind.FLAG, auditMaxLength).one(connections::evalScript, "checkout", false);
 * }
 *
 * @param layout the keys under the prefix
 * @param kind flags or segments
 * @param auditMaxLength the approximate length the audit stream is trimmed to when a raw edit is
 *     recorded
 * @param maxValueBytes the largest value returned, in bytes; a longer one is reported by its length
 *     and never sent (0: any size)
 */
record ReadScript(
    RedisLayout layout, DefinitionKind kind, long auditMaxLength, long maxValueBytes) {

  /** A read of values of any size. */
  ReadScript(RedisLayout layout, DefinitionKind kind, long auditMaxLength) {
    this(layout, kind, auditMaxLength, 0);
  }

  /**
   * One key as read.
   *
   * @param key the flag or segment key
   * @param version its version (0 when it never existed)
   * @param value the stored text; empty when absent or not a string
   * @param wrongType the Redis type of the value key when it is not a string ({@code hash}…)
   * @param lastChange its last audit entry, when asked for and still in the stream
   * @param tooLong the length in bytes of a value over {@link #maxValueBytes()}, which was not sent
   */
  record Result(
      String key,
      long version,
      Optional<String> value,
      Optional<String> wrongType,
      Optional<AuditEntry> lastChange,
      java.util.OptionalLong tooLong) {

    /** Whether something is stored at the key, readable or not. */
    boolean present() {
      return value.isPresent() || wrongType.isPresent() || tooLong.isPresent();
    }
  }

  /** Reads one key. */
  Result one(ScriptRunner redis, String key, boolean withLastChange) {
    return many(redis, List.of(key), withLastChange).get(0);
  }

  /**
   * Reads keys in one script run (one round trip, one atomic step). With no keys it only checks and
   * repairs the internal keys.
   */
  List<Result> many(ScriptRunner redis, List<String> keys, boolean withLastChange) {
    RedisLayout.Kind k = layout.of(kind);
    List<String> redisKeys = new ArrayList<>(7 + keys.size());
    redisKeys.add(layout.counter);
    redisKeys.add(layout.audit);
    redisKeys.addAll(k.internalKeys());
    List<String> args = new ArrayList<>(6 + keys.size());
    args.add(Long.toString(auditMaxLength));
    args.add(layout.channel);
    args.add(k.name());
    args.add(k.valuePrefix());
    args.add(withLastChange ? "1" : "0");
    args.add(Long.toString(maxValueBytes));
    for (String key : keys) {
      redisKeys.add(k.valueKey(key));
      args.add(key);
    }
    List<?> reply = (List<?>) redis.eval(Scripts.READ, redisKeys, args);
    Repairs.log(reply);
    List<Result> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      List<?> r = (List<?>) reply.get(i + 1);
      out.add(
          new Result(
              keys.get(i),
              (Long) r.get(0),
              Optional.ofNullable((String) r.get(1)),
              Optional.ofNullable((String) r.get(2)),
              Optional.ofNullable(r.get(3)).map(AuditEntries::fromReply),
              r.size() > 4
                  ? java.util.OptionalLong.of((Long) r.get(4))
                  : java.util.OptionalLong.empty()));
    }
    return out;
  }
}
