package dev.flags.redis;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.spi.FlagRepository.Applied;
import dev.flags.core.admin.spi.FlagRepository.Conflict;
import dev.flags.core.admin.spi.FlagRepository.Operation;
import dev.flags.core.admin.spi.FlagRepository.Outcome;
import dev.flags.core.admin.spi.FlagRepository.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The typed call of {@link Scripts#WRITE}: applies a batch of writes of flags and segments in one
 * script run — every write checked (existence, version) and every internal key checked and repaired
 * before anything changes, then all of them applied, each with its audit entry, and the
 * invalidation messages published. Immutable.
 *
 * @param layout the keys under the prefix
 * @param auditMaxLength the approximate length the audit stream is trimmed to
 */
record WriteScript(RedisLayout layout, long auditMaxLength) {

  /**
   * Runs the batch.
   *
   * @throws IllegalArgumentException if the batch is empty or names a key twice
   */
  Outcome run(ScriptRunner redis, List<Write> batch) {
    return run(redis, batch, Optional.empty());
  }

  /**
   * Runs the batch only if {@code fence}'s key holds its token, checked in the same script.
   *
   * @throws FencedWriteException if it does not
   */
  Outcome run(ScriptRunner redis, List<Write> batch, Optional<Fence> fence) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("batch: must not be empty");
    }
    List<String> keys = new ArrayList<>(12 + batch.size());
    keys.add(layout.counter);
    keys.add(layout.audit);
    keys.addAll(layout.flags.internalKeys());
    keys.addAll(layout.segments.internalKeys());
    List<String> args = new ArrayList<>(4 + 8 * batch.size());
    args.add(Long.toString(auditMaxLength));
    args.add(layout.channel);
    args.add(layout.flags.valuePrefix());
    args.add(layout.segments.valuePrefix());
    Set<String> seen = new HashSet<>();
    for (Write w : batch) {
      RedisLayout.Kind k = layout.of(w.kind());
      if (!seen.add(k.valueKey(w.key()))) {
        throw new IllegalArgumentException(
            "batch: names " + k.name() + " " + w.key() + " more than once");
      }
      keys.add(k.valueKey(w.key()));
      args.add(k.name());
      args.add(w.key());
      args.add(w.operation().name().toLowerCase(Locale.ROOT));
      args.add(Long.toString(w.expectedVersion()));
      args.add(w.value().orElse(""));
      args.add(w.action());
      args.add(w.actor());
      args.add(w.reason());
    }
    if (fence.isPresent()) {
      keys.add(fence.get().key());
      args.add(Long.toString(fence.get().token().getAsLong()));
    }
    List<?> reply = (List<?>) redis.eval(Scripts.WRITE, keys, args);
    if ((Long) reply.get(1) == 2L) {
      throw new FencedWriteException(
          fence.orElseThrow().key(),
          fence.orElseThrow().token().getAsLong(),
          (String) reply.get(2));
    }
    Repairs.log(reply);
    if ((Long) reply.get(1) == 0L) {
      int index = ((Long) reply.get(2)).intValue();
      Conflict.Why why =
          switch ((String) reply.get(3)) {
            case "exists" -> Conflict.Why.EXISTS;
            case "missing" -> Conflict.Why.MISSING;
            default -> Conflict.Why.VERSION;
          };
      return new Conflict(
          index,
          why,
          (Long) reply.get(4),
          Optional.ofNullable(reply.get(5)).map(AuditEntries::fromReply));
    }
    List<?> results = (List<?>) reply.get(2);
    List<AuditEntry> entries = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Write w = batch.get(i);
      List<?> r = (List<?>) results.get(i);
      String id = (String) r.get(0);
      entries.add(
          new AuditEntry(
              id,
              Instant.ofEpochMilli(AuditEntries.millisOf(id)),
              w.kind(),
              w.key(),
              (Long) r.get(1),
              w.action(),
              w.actor(),
              w.reason(),
              Optional.ofNullable((String) r.get(2)),
              w.operation() == Operation.DELETE ? Optional.empty() : w.value()));
    }
    return new Applied(entries);
  }
}
