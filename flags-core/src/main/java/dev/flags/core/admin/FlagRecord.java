package dev.flags.core.admin;

import dev.flags.core.Flag;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the store holds about one flag, readable or not: for listings and for repairing a
 * malformed value. Immutable and thread-safe.
 *
 * @param key the flag key
 * @param version the stored version
 * @param flag the definition, when it reads; its version is {@code version}
 * @param problem why it does not read (the codec's message with the path), when it does not
 * @param storedValue the stored text, as written
 * @param lastChange the audit entry of the last change, when the store knows it
 */
public record FlagRecord(
    String key,
    long version,
    Optional<Flag> flag,
    Optional<String> problem,
    String storedValue,
    Optional<AuditEntry> lastChange) {

  public FlagRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(storedValue, "storedValue");
    Objects.requireNonNull(lastChange, "lastChange");
    if (flag.isPresent() == problem.isPresent()) {
      throw new IllegalArgumentException("a record has either a flag or a problem");
    }
  }

  /** Whether the stored value cannot be read. */
  public boolean isMalformed() {
    return problem.isPresent();
  }

  /**
   * Whether the last change was made without this SDK and replaced a definition richer than a bare
   * {@code true}/{@code false} with a bare {@code false}: the raw kill switch. The earlier
   * definition is in that entry's {@link AuditEntry#before()}; {@link FlagAdmin#restore} brings it
   * back.
   */
  public boolean killedByRawEdit() {
    return lastChange
        .filter(AuditEntry::isRawEdit)
        .filter(e -> e.after().map(a -> a.strip().equals("false")).orElse(false))
        .flatMap(AuditEntry::before)
        .map(b -> !b.strip().equals("true") && !b.strip().equals("false"))
        .orElse(false);
  }
}
