package dev.flags.core.admin;

import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.FlagSet;
import dev.flags.core.FlagValidationException;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import dev.flags.core.admin.spi.FlagRepository;
import dev.flags.core.admin.spi.FlagRepository.Applied;
import dev.flags.core.admin.spi.FlagRepository.Conflict;
import dev.flags.core.admin.spi.FlagRepository.Operation;
import dev.flags.core.admin.spi.FlagRepository.Outcome;
import dev.flags.core.admin.spi.FlagRepository.Stored;
import dev.flags.core.admin.spi.FlagRepository.Write;
import dev.flags.core.json.FlagCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Reads and writes flags and segments in a store: validated, versioned, audited. The same class
 * serves every store — in memory ({@code InMemoryFlagStore.admin()}), a flag file ({@code
 * FileFlagAdmin}), Redis ({@code RedisFlagAdmin}) — over the store's {@link FlagRepository}, so
 * they all behave the same: the same validation messages, the same conflicts, the same audit.
 *
 * {@snippet :
 * FlagAdmin admin = store.admin();
 * admin.setRolloutPercentage("new_checkout_flow", 25, Change.by("alice").because("canary ok"));
 * admin.setOn("new_checkout_flow", false, Change.by("bob").because("INC-7: errors")); // kill switch
 * admin.restore("new_checkout_flow", RestorePoint.version(3), Change.by("bob"));
 * }
 *
 * <p><b>What is written.</b> No invalid flag reaches the store: each is encoded and read back
 * first. A new definition ({@link #create}, {@link #replace}) must use only operators this version
 * knows. The edits ({@link #setOn}, {@link #setRolloutPercentage}, {@link #addTargets}, {@link
 * #removeTargets}, {@link #updateMetadata}) change only their part of the stored JSON and keep
 * everything else as it was, including what a newer version of this SDK wrote and this one does not
 * understand. A plain on/off switch is stored as the bare {@code true} or {@code false}, so
 * services reading the store the simple way keep working.
 *
 * <p><b>Versions.</b> Every write names the version it was made from. With {@link
 * Change#ifVersion(long)} that is the caller's version, and a write that finds another one fails
 * with {@link FlagConflictException} saying who changed it meanwhile; without it, an edit reads,
 * changes and writes, and tries again (up to {@link Builder#maxAttempts}) when someone wrote in
 * between. Ramping a rollout keeps its algorithm, salt, bucketBy and the order of its weights, so a
 * ramp up only adds users and a ramp down only removes them.
 *
 * <p><b>Errors.</b> {@link FlagValidationException} (an invalid flag or argument, with the path of
 * the problem) and {@link IllegalArgumentException}; {@link FlagNotFoundException}; {@link
 * FlagConflictException}; {@link MalformedFlagException} (an edit of a stored value that does not
 * read); {@link StoreUnavailableException} (the store did not answer in time; says whether the
 * write may have been applied); {@link ReadOnlyStoreException}. A write is applied whole, with its
 * audit entry, or not at all.
 *
 * <p>Thread-safe. Close it when done: it closes its repository.
 */
public final class FlagAdmin implements AutoCloseable {

  /** How often an edit without an expected version tries on conflicts, by default. */
  public static final int DEFAULT_MAX_ATTEMPTS = 100;

  /** The most definitions one import may write, by default. */
  public static final int DEFAULT_MAX_IMPORT_SIZE = 10_000;

  private final FlagRepository repository;
  private final int maxAttempts;
  private final int maxImportSize;
  private final Clock clock;
  private final FlagCodec reader = FlagCodec.standard();
  private final FlagCodec strict = FlagCodec.builder().rejectUnknownOperators(true).build();

  private FlagAdmin(Builder b) {
    this.repository = b.repository;
    this.maxAttempts = b.maxAttempts;
    this.maxImportSize = b.maxImportSize;
    this.clock = b.clock;
  }

  /** An admin over {@code repository} with the default options. */
  public static FlagAdmin over(FlagRepository repository) {
    return builder(repository).build();
  }

  /** Starts a builder for an admin over {@code repository}. */
  public static Builder builder(FlagRepository repository) {
    return new Builder(repository);
  }

  // ---------------------------------------------------------------- reads

  /**
   * Everything stored about a flag, readable or not.
   *
   * @throws StoreUnavailableException if the store does not answer in time
   */
  public Optional<FlagRecord> find(String flagKey) {
    checkKey(flagKey);
    return repository.read(DefinitionKind.FLAG, flagKey).map(this::record);
  }

  /**
   * A flag and its version.
   *
   * @throws MalformedFlagException if the stored value does not read ({@link #find} shows it)
   * @throws StoreUnavailableException if the store does not answer in time
   */
  public Optional<VersionedFlag> get(String flagKey) {
    return find(flagKey).map(FlagAdmin::readable);
  }

  /**
   * Every stored flag, readable or not, sorted by key.
   *
   * @throws StoreUnavailableException if the store does not answer in time
   */
  public List<FlagRecord> list() {
    return repository.readAll(DefinitionKind.FLAG).stream().map(this::record).toList();
  }

  /**
   * A segment and its version.
   *
   * @throws MalformedFlagException if the stored value does not read
   * @throws StoreUnavailableException if the store does not answer in time
   */
  public Optional<VersionedSegment> segment(String segmentKey) {
    checkKey(segmentKey);
    return repository.read(DefinitionKind.SEGMENT, segmentKey).map(this::segment);
  }

  /**
   * Every stored segment that reads, sorted by key.
   *
   * @throws StoreUnavailableException if the store does not answer in time
   */
  public List<VersionedSegment> segments() {
    List<VersionedSegment> out = new ArrayList<>();
    for (Stored s : repository.readAll(DefinitionKind.SEGMENT)) {
      try {
        out.add(segment(s));
      } catch (MalformedFlagException e) {
        // Listed by nobody: the store reports a malformed segment, and segment(key) shows it.
      }
    }
    return out;
  }

  /**
   * The audit entries that match, newest first.
   *
   * @throws StoreUnavailableException if the store does not answer in time
   */
  public List<AuditEntry> audit(AuditQuery query) {
    return repository.audit(Objects.requireNonNull(query, "query"));
  }

  /**
   * One audit entry.
   *
   * @throws StoreUnavailableException if the store does not answer in time
   */
  public Optional<AuditEntry> auditEntry(String id) {
    return repository.auditEntry(Objects.requireNonNull(id, "id"));
  }

  /** Where the flags are, for people; never contains a secret. */
  public String description() {
    return repository.description();
  }

  /** Why this store cannot be written, or empty when it can. */
  public Optional<String> readOnlyReason() {
    return repository.readOnlyReason();
  }

  // ---------------------------------------------------------------- whole definitions

  /**
   * Creates a flag that is not stored.
   *
   * @return the flag as stored, with its version
   * @throws FlagConflictException if a flag with this key is stored (or, with {@link
   *     Change#ifVersion}, the key's version is another)
   */
  public VersionedFlag create(Flag flag, Change change) {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(change, "change");
    checkWritable();
    for (int attempt = 1; ; attempt++) {
      long version =
          change
              .expectedVersion()
              .orElseGet(() -> repository.currentVersion(DefinitionKind.FLAG, flag.key()));
      String text = storedText(flag, version + 1);
      Outcome o =
          repository.write(
              List.of(
                  write(
                      DefinitionKind.FLAG,
                      flag.key(),
                      Operation.CREATE,
                      version,
                      text,
                      AuditEntry.ACTION_CREATE,
                      change)));
      if (o instanceof Applied a) {
        return new VersionedFlag(flag, a.entries().get(0).version());
      }
      Conflict c = (Conflict) o;
      if (c.why() != Conflict.Why.VERSION
          || change.expectedVersion().isPresent()
          || attempt >= maxAttempts) {
        throw conflict(DefinitionKind.FLAG, flag.key(), version, c);
      }
    }
  }

  /**
   * Replaces a stored flag with a new definition (parts of the old one this version did not
   * understand are not kept: use the edits for that).
   *
   * @return the flag as stored, with its new version
   * @throws FlagNotFoundException if no such flag is stored
   * @throws FlagConflictException with {@link Change#ifVersion}, if another version is stored
   */
  public VersionedFlag replace(Flag flag, Change change) {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(change, "change");
    checkWritable();
    strictCheck(flag);
    return update(
        DefinitionKind.FLAG,
        flag.key(),
        change,
        AuditEntry.ACTION_UPDATE,
        stored -> storedText(flag, stored.version() + 1),
        FlagAdmin::readableFlag);
  }

  /**
   * Deletes a flag.
   *
   * @return whether it was stored
   * @throws FlagConflictException with {@link Change#ifVersion}, if another version is stored
   */
  public boolean delete(String flagKey, Change change) {
    return delete(DefinitionKind.FLAG, flagKey, change);
  }

  // ---------------------------------------------------------------- edits

  /**
   * Turns a flag on or off; off serves its off variation (the kill switch that keeps the
   * definition).
   */
  public VersionedFlag setOn(String flagKey, boolean on, Change change) {
    return edit(flagKey, FlagEdits.on(on), change);
  }

  /**
   * For a boolean flag: serves {@code true} to {@code percent}% of contexts (0.001% steps) when no
   * target or rule matches. A fallthrough that was not a rollout becomes one; an existing rollout
   * keeps its algorithm, salt, bucketBy and order (see the class comment).
   *
   * @throws IllegalArgumentException if the flag is not boolean or {@code percent} is not within
   *     0..100
   */
  public VersionedFlag setRolloutPercentage(String flagKey, double percent, Change change) {
    FlagEdits.percentToWeight(percent);
    return edit(flagKey, FlagEdits.rolloutPercentage(percent), change);
  }

  /**
   * Serves variation {@code variation} to the contexts with these keys, moving them from another
   * variation's targets if they were there.
   *
   * @throws IllegalArgumentException if the flag has no such variation
   */
  public VersionedFlag addTargets(
      String flagKey, int variation, Collection<String> contextKeys, Change change) {
    return edit(flagKey, FlagEdits.addTargets(variation, checkContextKeys(contextKeys)), change);
  }

  /** For a boolean flag: serves {@code value} to the contexts with these keys. */
  public VersionedFlag addTargets(
      String flagKey, boolean value, Collection<String> contextKeys, Change change) {
    List<String> keys = checkContextKeys(contextKeys);
    return edit(
        flagKey,
        (json, flag) ->
            FlagEdits.addTargets(FlagEdits.booleanIndex(flag, value), keys).apply(json, flag),
        change);
  }

  /**
   * Adds and removes individual targets of one variation in one write (one audit entry): serves
   * {@code variation} to the contexts of {@code add} (moving them from another variation's targets)
   * and stops serving it individually to those of {@code remove}. A key in both is removed.
   *
   * @throws IllegalArgumentException if the flag has no such variation, or both lists are empty
   */
  public VersionedFlag editTargets(
      String flagKey,
      int variation,
      Collection<String> add,
      Collection<String> remove,
      Change change) {
    Objects.requireNonNull(add, "add");
    Objects.requireNonNull(remove, "remove");
    if (add.isEmpty() && remove.isEmpty()) {
      throw new IllegalArgumentException("add, remove: name at least one context key");
    }
    List<String> adding = add.isEmpty() ? List.of() : checkContextKeys(add);
    List<String> removing = remove.isEmpty() ? List.of() : checkContextKeys(remove);
    return edit(
        flagKey,
        (json, flag) ->
            FlagEdits.removeTargets(variation, removing)
                .apply(FlagEdits.addTargets(variation, adding).apply(json, flag), flag),
        change);
  }

  /** Stops serving {@code variation} individually to the contexts with these keys. */
  public VersionedFlag removeTargets(
      String flagKey, int variation, Collection<String> contextKeys, Change change) {
    return edit(flagKey, FlagEdits.removeTargets(variation, checkContextKeys(contextKeys)), change);
  }

  /**
   * Changes the description, owner, tags, creation time or kill date: {@code m -> new
   * FlagMetadata(m.description(), "team-payments", m.tags(), m.createdAt(), m.killDate())}.
   */
  public VersionedFlag updateMetadata(
      String flagKey, UnaryOperator<FlagMetadata> change, Change who) {
    Objects.requireNonNull(change, "change");
    return edit(flagKey, FlagEdits.metadata(change), who);
  }

  /**
   * Sets a flag back to an earlier definition, recorded in the audit log: the one it had at a
   * version, or the one an audit entry wrote — including the definition a raw edit replaced (that
   * raw edit's entry records it as its {@code before}). The restored definition gets a new version;
   * a deleted flag is created again.
   *
   * @throws IllegalArgumentException if the audit log has no such version or entry (it keeps a
   *     bounded number of entries), or the entry deleted the flag
   */
  public VersionedFlag restore(String flagKey, RestorePoint point, Change change) {
    checkKey(flagKey);
    Objects.requireNonNull(point, "point");
    Objects.requireNonNull(change, "change");
    checkWritable();
    String text = restoredText(flagKey, point);
    JsonValue.Obj json = expand(flagKey, text, 0);
    Flag restored;
    try {
      restored = reader.decodeFlag(flagKey, text);
    } catch (IllegalArgumentException e) {
      throw new FlagValidationException(
          "", "the definition to restore does not read: " + e.getMessage());
    }
    String why =
        "restore to " + describe(point) + (change.reason().isEmpty() ? "" : ": " + change.reason());
    Change c = new Change(change.actor(), why, change.expectedVersion());
    for (int attempt = 1; ; attempt++) {
      long version =
          c.expectedVersion()
              .orElseGet(() -> repository.currentVersion(DefinitionKind.FLAG, flagKey));
      boolean exists = repository.read(DefinitionKind.FLAG, flagKey).isPresent();
      String value = collapse(FlagEdits.withVersion(json, version + 1), restored);
      Outcome o =
          repository.write(
              List.of(
                  write(
                      DefinitionKind.FLAG,
                      flagKey,
                      exists ? Operation.UPDATE : Operation.CREATE,
                      version,
                      value,
                      AuditEntry.ACTION_RESTORE,
                      c)));
      if (o instanceof Applied a) {
        return new VersionedFlag(restored, a.entries().get(0).version());
      }
      Conflict conflict = (Conflict) o;
      if (c.expectedVersion().isPresent() || attempt >= maxAttempts) {
        throw conflict(DefinitionKind.FLAG, flagKey, version, conflict);
      }
    }
  }

  // ---------------------------------------------------------------- segments

  /**
   * Creates or replaces a segment; flags name it in {@code segmentMatch} clauses.
   *
   * @return the segment as stored, with its version
   * @throws FlagConflictException with {@link Change#ifVersion}, if another version is stored
   */
  public VersionedSegment putSegment(Segment segment, Change change) {
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(change, "change");
    checkWritable();
    String key = segment.key();
    for (int attempt = 1; ; attempt++) {
      Optional<Stored> current = repository.read(DefinitionKind.SEGMENT, key);
      long version =
          change
              .expectedVersion()
              .orElseGet(
                  () ->
                      current
                          .map(Stored::version)
                          .orElseGet(() -> repository.currentVersion(DefinitionKind.SEGMENT, key)));
      String text = segmentText(segment, version + 1);
      Operation op = current.isPresent() ? Operation.UPDATE : Operation.CREATE;
      Outcome o =
          repository.write(
              List.of(
                  write(
                      DefinitionKind.SEGMENT,
                      key,
                      op,
                      version,
                      text,
                      op == Operation.CREATE ? AuditEntry.ACTION_CREATE : AuditEntry.ACTION_UPDATE,
                      change)));
      if (o instanceof Applied a) {
        long v = a.entries().get(0).version();
        return new VersionedSegment(withVersion(segment, v), v);
      }
      if (change.expectedVersion().isPresent() || attempt >= maxAttempts) {
        throw conflict(DefinitionKind.SEGMENT, key, version, (Conflict) o);
      }
    }
  }

  /**
   * Deletes a segment.
   *
   * @return whether it was stored
   */
  public boolean deleteSegment(String segmentKey, Change change) {
    return delete(DefinitionKind.SEGMENT, segmentKey, change);
  }

  // ---------------------------------------------------------------- sets

  /**
   * Seeds the store from a flag set (a flag file, say): creates the segments and flags it does not
   * hold and leaves the others alone, since once seeded the store is the truth. Safe to run from
   * several instances at once: what another one created meanwhile is skipped.
   *
   * @return the keys of the flags this call created, in the set's order
   */
  public List<String> createMissing(FlagSet set, Change change) {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(change, "change");
    checkWritable();
    for (Segment segment : set.segments().values()) {
      if (repository.read(DefinitionKind.SEGMENT, segment.key()).isEmpty()) {
        try {
          putSegment(segment, change);
        } catch (FlagConflictException raced) {
          // Another instance wrote it first: what we wanted.
        }
      }
    }
    List<String> created = new ArrayList<>();
    for (Flag flag : set.flags().values()) {
      if (repository.read(DefinitionKind.FLAG, flag.key()).isPresent()) {
        continue;
      }
      try {
        create(flag, change);
        created.add(flag.key());
      } catch (FlagConflictException raced) {
        // Another instance created it first.
      }
    }
    return created;
  }

  /**
   * What importing {@code set} would change: creates what is not stored, replaces what is stored
   * differently, and — with {@code prune} — deletes what is stored and not in the set. Writes
   * nothing.
   *
   * @throws FlagValidationException if a flag of the set uses an operator this version does not
   *     know
   */
  public ImportPlan planImport(FlagSet set, boolean prune) {
    Objects.requireNonNull(set, "set");
    List<ImportPlan.Item> items = new ArrayList<>();
    Map<String, Segment> segments = new TreeMap<>(set.segments());
    Map<String, Flag> flags = new TreeMap<>(set.flags());
    planKind(DefinitionKind.SEGMENT, segments, prune, items, s -> segmentText(s.getValue(), 0));
    for (Flag f : flags.values()) {
      strictCheck(f);
    }
    planKind(DefinitionKind.FLAG, flags, prune, items, f -> storedText(f.getValue(), 0));
    return new ImportPlan(items);
  }

  /**
   * Applies a plan made by {@link #planImport}, all or nothing: every change with its audit entry,
   * or — if anything the plan was made from changed meanwhile — none.
   *
   * @return the audit entries written, in the plan's order
   * @throws FlagConflictException if a definition changed since the plan was made; plan again
   * @throws IllegalArgumentException if the plan changes more than {@link Builder#maxImportSize}
   *     definitions
   */
  public List<AuditEntry> applyImport(ImportPlan plan, Change change) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(change, "change");
    checkWritable();
    List<ImportPlan.Item> changes = plan.changes();
    if (changes.size() > maxImportSize) {
      throw new IllegalArgumentException(
          "import: changes "
              + changes.size()
              + " definitions, more than the limit of "
              + maxImportSize);
    }
    if (changes.isEmpty()) {
      return List.of();
    }
    List<Write> batch = new ArrayList<>(changes.size());
    for (ImportPlan.Item i : changes) {
      Operation op =
          switch (i.action()) {
            case CREATE -> Operation.CREATE;
            case UPDATE -> Operation.UPDATE;
            default -> Operation.DELETE;
          };
      Optional<String> value =
          i.after().map(a -> withVersionText(i.key(), a, i.expectedVersion() + 1));
      batch.add(
          new Write(
              i.kind(),
              i.key(),
              op,
              i.expectedVersion(),
              value,
              op == Operation.DELETE ? AuditEntry.ACTION_DELETE : AuditEntry.ACTION_IMPORT,
              change.actor(),
              change.reason()));
    }
    Outcome o = repository.write(batch);
    if (o instanceof Applied a) {
      return a.entries();
    }
    Conflict c = (Conflict) o;
    ImportPlan.Item item = changes.get(c.index());
    throw conflict(item.kind(), item.key(), item.expectedVersion(), c);
  }

  /** Closes the repository. Idempotent. */
  @Override
  public void close() {
    repository.close();
  }

  // ---------------------------------------------------------------- internals

  private VersionedFlag edit(String flagKey, FlagEdits.Edit edit, Change change) {
    checkKey(flagKey);
    Objects.requireNonNull(change, "change");
    checkWritable();
    for (int attempt = 1; ; attempt++) {
      Stored stored =
          repository
              .read(DefinitionKind.FLAG, flagKey)
              .orElseThrow(() -> new FlagNotFoundException(DefinitionKind.FLAG, flagKey));
      long expected = change.expectedVersion().orElse(stored.version());
      if (expected != stored.version()) {
        throw conflict(
            DefinitionKind.FLAG,
            flagKey,
            expected,
            new Conflict(0, Conflict.Why.VERSION, stored.version(), stored.lastChange()));
      }
      JsonValue.Obj json = expand(flagKey, stored.value(), stored.version());
      Flag current = decodeStored(flagKey, stored);
      JsonValue.Obj edited = FlagEdits.withVersion(edit.apply(json, current), stored.version() + 1);
      String text = reader.write(edited);
      Flag next;
      try {
        next = reader.decodeFlag(flagKey, text);
      } catch (FlagValidationException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new FlagValidationException("", String.valueOf(e.getMessage()));
      }
      if (next.toBuilder().version(0).build().equals(current.toBuilder().version(0).build())
          && json.members().keySet().equals(edited.members().keySet())) {
        return new VersionedFlag(
            current, stored.version()); // nothing to change: no write, no entry
      }
      Outcome o =
          repository.write(
              List.of(
                  write(
                      DefinitionKind.FLAG,
                      flagKey,
                      Operation.UPDATE,
                      stored.version(),
                      collapse(edited, next),
                      AuditEntry.ACTION_UPDATE,
                      change)));
      if (o instanceof Applied a) {
        return new VersionedFlag(next, a.entries().get(0).version());
      }
      Conflict c = (Conflict) o;
      if (c.why() == Conflict.Why.MISSING) {
        throw new FlagNotFoundException(DefinitionKind.FLAG, flagKey);
      }
      if (change.expectedVersion().isPresent() || attempt >= maxAttempts) {
        throw conflict(DefinitionKind.FLAG, flagKey, stored.version(), c);
      }
    }
  }

  /** A read-check-write of a whole definition, retried without an expected version. */
  private VersionedFlag update(
      DefinitionKind kind,
      String key,
      Change change,
      String action,
      java.util.function.Function<Stored, String> text,
      java.util.function.BiFunction<String, Stored, Flag> decode) {
    for (int attempt = 1; ; attempt++) {
      Stored stored =
          repository.read(kind, key).orElseThrow(() -> new FlagNotFoundException(kind, key));
      long expected = change.expectedVersion().orElse(stored.version());
      String value =
          text.apply(new Stored(kind, key, expected, stored.value(), stored.lastChange()));
      Outcome o =
          repository.write(
              List.of(write(kind, key, Operation.UPDATE, expected, value, action, change)));
      if (o instanceof Applied a) {
        long v = a.entries().get(0).version();
        return new VersionedFlag(
            decode.apply(key, new Stored(kind, key, v, value, Optional.empty())), v);
      }
      Conflict c = (Conflict) o;
      if (c.why() == Conflict.Why.MISSING) {
        throw new FlagNotFoundException(kind, key);
      }
      if (change.expectedVersion().isPresent() || attempt >= maxAttempts) {
        throw conflict(kind, key, expected, c);
      }
    }
  }

  private boolean delete(DefinitionKind kind, String key, Change change) {
    checkKey(key);
    Objects.requireNonNull(change, "change");
    checkWritable();
    for (int attempt = 1; ; attempt++) {
      Optional<Stored> stored = repository.read(kind, key);
      if (stored.isEmpty()) {
        return false;
      }
      long expected = change.expectedVersion().orElse(stored.get().version());
      Outcome o =
          repository.write(
              List.of(
                  new Write(
                      kind,
                      key,
                      Operation.DELETE,
                      expected,
                      Optional.empty(),
                      AuditEntry.ACTION_DELETE,
                      change.actor(),
                      change.reason())));
      if (o instanceof Applied) {
        return true;
      }
      Conflict c = (Conflict) o;
      if (c.why() == Conflict.Why.MISSING) {
        return false;
      }
      if (change.expectedVersion().isPresent() || attempt >= maxAttempts) {
        throw conflict(kind, key, expected, c);
      }
    }
  }

  private <T> void planKind(
      DefinitionKind kind,
      Map<String, T> wanted,
      boolean prune,
      List<ImportPlan.Item> items,
      java.util.function.Function<Map.Entry<String, T>, String> text) {
    Map<String, Stored> stored = new LinkedHashMap<>();
    for (Stored s : repository.readAll(kind)) {
      stored.put(s.key(), s);
    }
    for (Map.Entry<String, T> e : wanted.entrySet()) {
      String key = e.getKey();
      String after = text.apply(e);
      Stored s = stored.get(key);
      if (s == null) {
        items.add(
            new ImportPlan.Item(
                kind,
                key,
                ImportPlan.Action.CREATE,
                repository.currentVersion(kind, key),
                Optional.empty(),
                Optional.of(after)));
      } else {
        boolean same = sameDefinition(kind, key, s.value(), after);
        items.add(
            new ImportPlan.Item(
                kind,
                key,
                same ? ImportPlan.Action.UNCHANGED : ImportPlan.Action.UPDATE,
                s.version(),
                Optional.of(s.value()),
                Optional.of(same ? s.value() : after)));
      }
    }
    if (prune) {
      for (Stored s : stored.values()) {
        if (!wanted.containsKey(s.key())) {
          items.add(
              new ImportPlan.Item(
                  kind,
                  s.key(),
                  ImportPlan.Action.DELETE,
                  s.version(),
                  Optional.of(s.value()),
                  Optional.empty()));
        }
      }
    }
  }

  private boolean sameDefinition(DefinitionKind kind, String key, String stored, String wanted) {
    try {
      if (kind == DefinitionKind.FLAG) {
        return reader.decodeFlag(key, stored).toBuilder()
            .version(0)
            .build()
            .equals(reader.decodeFlag(key, wanted).toBuilder().version(0).build());
      }
      return withVersion(reader.decodeSegment(key, stored), 0)
          .equals(withVersion(reader.decodeSegment(key, wanted), 0));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private String withVersionText(String key, String text, long version) {
    String t = text.strip();
    if (t.equals("true") || t.equals("false")) {
      return t;
    }
    return reader.write(FlagEdits.withVersion(expand(key, t, 0), version));
  }

  private String restoredText(String flagKey, RestorePoint point) {
    if (point instanceof RestorePoint.Entry e) {
      AuditEntry entry =
          repository
              .auditEntry(e.id())
              .orElseThrow(() -> new IllegalArgumentException("no audit entry " + e.id()));
      if (entry.kind() != DefinitionKind.FLAG || !entry.key().equals(flagKey)) {
        throw new IllegalArgumentException(
            "audit entry "
                + e.id()
                + " is about "
                + entry.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " "
                + entry.key()
                + ", not flag "
                + flagKey);
      }
      if (!entry.changesDefinition()) {
        throw new IllegalArgumentException(
            "audit entry "
                + e.id()
                + " records a change of flag "
                + flagKey
                + "'s guarded rollout plan ("
                + entry.action()
                + "), not of its definition: restore a version");
      }
      return entry
          .after()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "audit entry "
                          + e.id()
                          + " deleted flag "
                          + flagKey
                          + ": restore the version before it, "
                          + (entry.version() - 1)));
    }
    long version = ((RestorePoint.Version) point).version();
    List<AuditEntry> entries =
        repository.audit(AuditQuery.builder().flag(flagKey).limit(AuditQuery.MAX_LIMIT).build());
    for (AuditEntry entry : entries) {
      if (entry.version() == version && entry.after().isPresent()) {
        return entry.after().get();
      }
      if (entry.version() == version + 1 && entry.before().isPresent()) {
        return entry.before().get();
      }
    }
    throw new IllegalArgumentException(
        "the audit log has no record of version "
            + version
            + " of flag "
            + flagKey
            + " (it keeps a bounded number of entries)");
  }

  private static String describe(RestorePoint point) {
    return point instanceof RestorePoint.Version v
        ? "version " + v.version()
        : "entry " + ((RestorePoint.Entry) point).id();
  }

  private FlagRecord record(Stored s) {
    try {
      return new FlagRecord(
          s.key(),
          s.version(),
          Optional.of(decodeStored(s.key(), s)),
          Optional.empty(),
          s.value(),
          s.lastChange());
    } catch (MalformedFlagException e) {
      return new FlagRecord(
          s.key(),
          s.version(),
          Optional.empty(),
          Optional.of(e.problem()),
          s.value(),
          s.lastChange());
    }
  }

  private static VersionedFlag readable(FlagRecord r) {
    if (r.isMalformed()) {
      throw new MalformedFlagException(r.key(), r.version(), r.problem().orElseThrow());
    }
    return new VersionedFlag(r.flag().orElseThrow(), r.version());
  }

  private static Flag readableFlag(String key, Stored s) {
    return FlagCodec.standard().decodeFlag(key, s.value()).toBuilder().version(s.version()).build();
  }

  private Flag decodeStored(String key, Stored s) {
    try {
      return reader.decodeFlag(key, s.value()).toBuilder().version(s.version()).build();
    } catch (IllegalArgumentException | StackOverflowError e) {
      throw new MalformedFlagException(key, s.version(), String.valueOf(e.getMessage()));
    }
  }

  private VersionedSegment segment(Stored s) {
    try {
      Segment seg = reader.decodeSegment(s.key(), s.value());
      return new VersionedSegment(withVersion(seg, s.version()), s.version());
    } catch (IllegalArgumentException e) {
      throw new MalformedFlagException(s.key(), s.version(), String.valueOf(e.getMessage()));
    }
  }

  private static Segment withVersion(Segment s, long version) {
    return new Segment(s.key(), version, s.included(), s.excluded(), s.rules(), s.description());
  }

  /** The stored object of a flag; a bare {@code true}/{@code false} in its full form. */
  private JsonValue.Obj expand(String key, String stored, long version) {
    String t = stored.strip();
    String json =
        t.equals("true") || t.equals("false")
            ? reader.encode(Flag.simple(key, t.equals("true")))
            : stored;
    try {
      if (reader.parse(json) instanceof JsonValue.Obj o) {
        return o;
      }
    } catch (IllegalArgumentException e) {
      throw new MalformedFlagException(key, version, String.valueOf(e.getMessage()));
    }
    throw new MalformedFlagException(key, version, "not a JSON object, true or false");
  }

  /** What to store for a new definition: checked strictly, with its version. */
  private String storedText(Flag flag, long version) {
    strictCheck(flag);
    Flag withVersion = flag.toBuilder().version(version).build();
    return collapse(expand(flag.key(), reader.encode(withVersion), version), withVersion);
  }

  private String segmentText(Segment segment, long version) {
    Segment s = withVersion(segment, version);
    String json = strict.encode(s);
    try {
      strict.decodeSegment(s.key(), json);
    } catch (IllegalArgumentException e) {
      throw new FlagValidationException(
          "", "segment " + s.key() + " does not read back: " + e.getMessage());
    }
    return json;
  }

  /**
   * A bare {@code true}/{@code false} for a plain switch with nothing else in it, else the JSON.
   */
  private String collapse(JsonValue.Obj json, Flag flag) {
    Flag simple = Flag.simple(flag.key(), flag.on());
    if (FlagEdits.onlyKnownMembers(json) && flag.toBuilder().version(0).build().equals(simple)) {
      return Boolean.toString(flag.on());
    }
    return reader.write(json);
  }

  private void strictCheck(Flag flag) {
    String json = strict.encode(flag);
    try {
      strict.decodeFlag(flag.key(), json);
    } catch (IllegalArgumentException e) {
      throw new FlagValidationException(
          "", "flag " + flag.key() + " does not read back: " + e.getMessage());
    }
  }

  private static Write write(
      DefinitionKind kind,
      String key,
      Operation op,
      long expected,
      String value,
      String action,
      Change change) {
    return new Write(
        kind, key, op, expected, Optional.of(value), action, change.actor(), change.reason());
  }

  private FlagConflictException conflict(
      DefinitionKind kind, String key, long expected, Conflict c) {
    String what = kind.name().toLowerCase(java.util.Locale.ROOT) + " \"" + key + "\"";
    String message =
        switch (c.why()) {
          case EXISTS -> what + " already exists (version " + c.currentVersion() + ")";
          case MISSING -> what + " does not exist (version " + c.currentVersion() + ")";
          case VERSION ->
              what
                  + " was changed meanwhile: you read version "
                  + expected
                  + ", it is now version "
                  + c.currentVersion()
                  + c.lastChange().map(this::byWhom).orElse("")
                  + "; review it and retry";
        };
    return new FlagConflictException(key, expected, c.currentVersion(), c.lastChange(), message);
  }

  private String byWhom(AuditEntry e) {
    Duration ago = Duration.between(e.time(), clock.instant());
    String when =
        ago.isNegative()
            ? "at " + e.time()
            : ago.toSeconds() < 120
                ? ago.toSeconds() + " s ago"
                : ago.toMinutes() < 120 ? ago.toMinutes() + " min ago" : "at " + e.time();
    return " (changed by "
        + e.actor()
        + " "
        + when
        + (e.reason().isEmpty() ? "" : ": " + e.reason())
        + ")";
  }

  private void checkWritable() {
    Optional<String> why = repository.readOnlyReason();
    if (why.isPresent()) {
      throw new ReadOnlyStoreException(why.get());
    }
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    Flag.builder(key); // throws FlagValidationException naming the rule
  }

  private static List<String> checkContextKeys(Collection<String> keys) {
    Objects.requireNonNull(keys, "contextKeys");
    List<String> out = new ArrayList<>(keys.size());
    for (String k : keys) {
      if (k == null || k.isEmpty()) {
        throw new IllegalArgumentException("contextKeys: a context key must not be empty");
      }
      out.add(k);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("contextKeys: name at least one context key");
    }
    return out;
  }

  /**
   * Builds a {@link FlagAdmin}; each setter checks its argument and names the option. Not
   * thread-safe.
   */
  public static final class Builder {
    private final FlagRepository repository;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int maxImportSize = DEFAULT_MAX_IMPORT_SIZE;
    private Clock clock = Clock.systemUTC();

    private Builder(FlagRepository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    /** How often an edit without an expected version tries on conflicts (default 100). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts: must be >= 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The most definitions one import may write (default {@link #DEFAULT_MAX_IMPORT_SIZE}). */
    public Builder maxImportSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("maxImportSize: must be >= 1, got " + size);
      }
      this.maxImportSize = size;
      return this;
    }

    /** The clock messages say "20 s ago" by (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the admin
     */
    public FlagAdmin build() {
      return new FlagAdmin(this);
    }
  }
}
