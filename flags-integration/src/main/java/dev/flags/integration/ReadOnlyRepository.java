package dev.flags.integration;

import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.Segment;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.admin.spi.FlagRepository;
import dev.flags.core.json.FlagCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin's view of a store that cannot be written here: what the client serves (flags) and what
 * the store delivered (segments), with no audit log; every write is refused with the reason. Used
 * for a classpath flag file, for an application's own store, and for stores whose write API is not
 * wired yet. Malformed flags are not listed (their stored text is not known here); the health
 * report still counts them.
 *
 * <p>Thread-safe: it reads the client's and the tracker's current state.
 */
final class ReadOnlyRepository implements FlagRepository {

  private static final FlagCodec CODEC = FlagCodec.standard();

  private final Flags client;
  private final TrackedStore tracker;
  private final String description;
  private final String reason;

  ReadOnlyRepository(Flags client, TrackedStore tracker, String description, String reason) {
    this.client = client;
    this.tracker = tracker;
    this.description = description;
    this.reason = reason;
  }

  @Override
  public Optional<Stored> read(DefinitionKind kind, String key) {
    if (kind == DefinitionKind.FLAG) {
      return client.flag(key).map(ReadOnlyRepository::stored);
    }
    return Optional.ofNullable(tracker.segments().get(key)).map(ReadOnlyRepository::stored);
  }

  @Override
  public long currentVersion(DefinitionKind kind, String key) {
    return read(kind, key).map(Stored::version).orElse(0L);
  }

  @Override
  public List<Stored> readAll(DefinitionKind kind) {
    List<Stored> out = new ArrayList<>();
    if (kind == DefinitionKind.FLAG) {
      client.allFlags().forEach(f -> out.add(stored(f)));
    } else {
      tracker.segments().values().forEach(s -> out.add(stored(s)));
    }
    return out;
  }

  @Override
  public Outcome write(List<Write> batch) {
    throw new ReadOnlyStoreException(reason);
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    return List.of();
  }

  @Override
  public Optional<AuditEntry> auditEntry(String id) {
    return Optional.empty();
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Optional<String> readOnlyReason() {
    return Optional.of(reason);
  }

  @Override
  public void close() {}

  private static Stored stored(Flag f) {
    return new Stored(DefinitionKind.FLAG, f.key(), f.version(), CODEC.encode(f), Optional.empty());
  }

  private static Stored stored(Segment s) {
    return new Stored(
        DefinitionKind.SEGMENT, s.key(), s.version(), CODEC.encode(s), Optional.empty());
  }
}
