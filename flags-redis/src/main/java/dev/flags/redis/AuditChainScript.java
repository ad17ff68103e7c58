package dev.flags.redis;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.DefinitionKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The typed call of {@link Scripts#AUDIT_CHAIN}: the audit entries of one flag or segment, newest
 * first, read by following each entry's link to the previous entry of the same key, so the cost is
 * the key's own history, not the stream's length. Immutable.
 *
 * @param layout the keys under the prefix
 */
record AuditChainScript(RedisLayout layout) {

  /** The most links one call follows (a guard against a damaged chain). */
  static final int MAX_STEPS = 100_000;

  /**
   * @param kind flag or segment
   * @param key its key
   * @param limit the most entries returned
   * @param from only entries at or after this instant (to the millisecond)
   * @param to only entries at or before this instant
   * @param actor only entries by this actor
   */
  List<AuditEntry> run(
      ScriptRunner redis,
      DefinitionKind kind,
      String key,
      int limit,
      Optional<Instant> from,
      Optional<Instant> to,
      Optional<String> actor) {
    List<?> reply =
        (List<?>)
            redis.eval(
                Scripts.AUDIT_CHAIN,
                List.of(layout.audit, layout.of(kind).lastChanges()),
                List.of(
                    key,
                    Integer.toString(limit),
                    from.map(f -> Long.toString(ceilMillis(f))).orElse(""),
                    to.map(t -> Long.toString(t.toEpochMilli())).orElse(""),
                    actor.orElse("")));
    List<AuditEntry> out = new ArrayList<>(reply.size());
    for (Object e : reply) {
      out.add(AuditEntries.fromReply(e));
    }
    return out;
  }

  /** The first millisecond at or after {@code t}. */
  static long ceilMillis(Instant t) {
    return t.toEpochMilli() + (t.truncatedTo(ChronoUnit.MILLIS).equals(t) ? 0 : 1);
  }
}
