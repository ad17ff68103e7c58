package dev.flags.integration.kit;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.admin.spi.FlagRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A repository the kit controls, behind a {@code FlagAdmin} the application under test is given: it
 * stores any text (so a flag can be malformed, as a raw edit leaves it), and it can be made
 * unreachable (every call then fails with {@link StoreUnavailableException}). Otherwise it keeps
 * the repository contract: compare-and-set batches with their audit entries. Thread-safe.
 */
public final class KitRepository implements FlagRepository {

  private final Map<DefinitionKind, Map<String, Stored>> stored = new HashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final List<AuditEntry> audit = new ArrayList<>();
  private volatile boolean unavailable;
  private volatile boolean failWrites;
  private long nextId = 1;

  public KitRepository() {
    stored.put(DefinitionKind.FLAG, new TreeMap<>());
    stored.put(DefinitionKind.SEGMENT, new TreeMap<>());
  }

  /** Stores a flag's text as someone without the SDK would (it need not read). */
  public synchronized void putRaw(String key, String text) {
    Optional<Stored> before = Optional.ofNullable(stored.get(DefinitionKind.FLAG).get(key));
    long version = currentVersion(DefinitionKind.FLAG, key) + 1;
    AuditEntry e =
        entry(
            DefinitionKind.FLAG,
            key,
            version,
            AuditEntry.ACTION_RAW_EDIT,
            AuditEntry.RAW_EDIT_ACTOR,
            "",
            before.map(Stored::value),
            Optional.of(text));
    stored
        .get(DefinitionKind.FLAG)
        .put(key, new Stored(DefinitionKind.FLAG, key, version, text, Optional.of(e)));
    versions.put(DefinitionKind.FLAG + key, version);
  }

  /** Makes every call fail as if the store did not answer, or answer again. */
  public void unavailable(boolean down) {
    this.unavailable = down;
  }

  /**
   * Makes every write fail as if the store took it and did not answer (it may have been applied),
   * or succeed again; reads keep working.
   */
  public void failWrites(boolean fail) {
    this.failWrites = fail;
  }

  private void check(boolean write) {
    if (unavailable || (write && failWrites)) {
      throw new StoreUnavailableException("the kit's store does not answer", write, null);
    }
  }

  @Override
  public synchronized Optional<Stored> read(DefinitionKind kind, String key) {
    check(false);
    return Optional.ofNullable(stored.get(kind).get(key));
  }

  @Override
  public synchronized long currentVersion(DefinitionKind kind, String key) {
    check(false);
    return versions.getOrDefault(kind + key, 0L);
  }

  @Override
  public synchronized List<Stored> readAll(DefinitionKind kind) {
    check(false);
    return List.copyOf(stored.get(kind).values());
  }

  @Override
  public synchronized Outcome write(List<Write> batch) {
    check(true);
    for (int i = 0; i < batch.size(); i++) {
      Write w = batch.get(i);
      Stored s = stored.get(w.kind()).get(w.key());
      long current = versions.getOrDefault(w.kind() + w.key(), 0L);
      Optional<AuditEntry> last = s == null ? Optional.empty() : s.lastChange();
      if (w.operation() == Operation.CREATE && s != null) {
        return new Conflict(i, Conflict.Why.EXISTS, current, last);
      }
      if (w.operation() != Operation.CREATE && s == null) {
        return new Conflict(i, Conflict.Why.MISSING, current, last);
      }
      if (w.expectedVersion() != ANY_VERSION && w.expectedVersion() != current) {
        return new Conflict(i, Conflict.Why.VERSION, current, last);
      }
    }
    List<AuditEntry> entries = new ArrayList<>();
    for (Write w : batch) {
      Stored s = stored.get(w.kind()).get(w.key());
      long version = versions.getOrDefault(w.kind() + w.key(), 0L) + 1;
      AuditEntry e =
          entry(
              w.kind(),
              w.key(),
              version,
              w.action(),
              w.actor(),
              w.reason(),
              Optional.ofNullable(s).map(Stored::value),
              w.value());
      if (w.value().isPresent()) {
        stored
            .get(w.kind())
            .put(w.key(), new Stored(w.kind(), w.key(), version, w.value().get(), Optional.of(e)));
      } else {
        stored.get(w.kind()).remove(w.key());
      }
      versions.put(w.kind() + w.key(), version);
      entries.add(e);
    }
    return new Applied(entries);
  }

  private AuditEntry entry(
      DefinitionKind kind,
      String key,
      long version,
      String action,
      String actor,
      String reason,
      Optional<String> before,
      Optional<String> after) {
    AuditEntry e =
        new AuditEntry(
            Long.toString(nextId++),
            Instant.now(),
            kind,
            key,
            version,
            action,
            actor,
            reason,
            before,
            after);
    audit.add(e);
    return e;
  }

  @Override
  public synchronized List<AuditEntry> audit(AuditQuery query) {
    check(false);
    List<AuditEntry> out = new ArrayList<>();
    for (int i = audit.size() - 1; i >= 0 && out.size() < query.limit(); i--) {
      if (query.matches(audit.get(i))) {
        out.add(audit.get(i));
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<AuditEntry> auditEntry(String id) {
    check(false);
    return audit.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  @Override
  public String description() {
    return "the parity kit's repository";
  }

  @Override
  public void close() {}
}
