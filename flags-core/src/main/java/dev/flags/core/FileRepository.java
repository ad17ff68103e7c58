package dev.flags.core;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.admin.spi.FlagRepository;
import dev.flags.core.json.FlagCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The repository of {@link FileFlagAdmin}: flags and segments in a flag file (or a directory of
 * them), versions and audit entries in an append-only audit file beside it. See {@code
 * docs/file-store.md}, "Writing flags".
 *
 * <p><b>Concurrency.</b> Every operation holds a lock: a {@link ReentrantLock} shared by every
 * repository of the same files in this JVM, then (when the files can be written) an exclusive
 * {@link FileLock} on the lock file, so writers in other processes (flagctl, another server) wait
 * for each other. The file lock's channel is opened and closed inside the in-JVM lock, because
 * closing any channel of a file drops every POSIX lock this process holds on it.
 *
 * <p><b>State.</b> Under the lock, each operation first catches up: it completes a write that was
 * interrupted after its commit point (the pending file), reads the audit lines appended since its
 * last look (by this or another process), reads the flag files (parsing them again only when their
 * bytes changed), and compares every definition with the text its last audit entry left: a
 * definition changed by hand is recorded as a raw edit before anything else happens.
 *
 * <p><b>A write</b> (the order makes it whole with its audit entries, or absent): (1) the new files
 * are written to temporary files beside their targets and synced; (2) the pending file, holding the
 * renames to do and the audit lines to append, is written and synced — the commit point; (3) the
 * temporary files are renamed over the targets, atomically; (4) the audit lines are appended and
 * synced; (5) the pending file is deleted. A failure before (2) leaves nothing; a failure of the
 * first rename undoes (2); a crash after (2) is completed by the next operation of any repository
 * of these files (the renames that are left, the lines not yet appended).
 *
 * <p>Thread-safe.
 */
final class FileRepository implements FlagRepository {

  private static final System.Logger LOG = System.getLogger(FileFlagAdmin.class.getName());

  /** Beside a flag file {@code flags.json}: {@code flags.json.lock}. */
  static final String LOCK_SUFFIX = ".lock";

  /** Beside a flag file {@code flags.json}: {@code flags.json.audit.jsonl}. */
  static final String AUDIT_SUFFIX = ".audit.jsonl";

  /** Beside a flag file {@code flags.json}: {@code flags.json.audit.pending}. */
  static final String PENDING_SUFFIX = ".audit.pending";

  /** In a directory of flag files, the base name of the lock, audit and pending files. */
  static final String DIRECTORY_BASE = ".flags";

  /** Marks this admin's temporary files: {@code .flags.json.flags-admin-<hex>.tmp}. */
  static final String TEMP_MARK = ".flags-admin-";

  /** How many of the newest audit entries are kept in memory for queries. */
  static final int RECENT_ENTRIES = AuditQuery.MAX_LIMIT;

  /**
   * File systems keep modification times at a granularity (up to 2 seconds on FAT): files whose
   * time is less than this before the last read are read again even when their size and time did
   * not change, as {@link FileFlagStore} does.
   */
  private static final long TIMESTAMP_GRANULARITY_MILLIS = 2_000;

  private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Where the files are.
   *
   * @param home the directory of the lock, audit and pending files (and of the flag file, or the
   *     directory of flag files itself), real path
   * @param file the flag file (real path) for a single file; empty for a directory
   * @param label the source as the user named it, for messages
   */
  record Layout(Path home, Optional<Path> file, String label, Path lock, Path audit, Path pending) {
    boolean isDirectory() {
      return file.isEmpty();
    }
  }

  /** What the repository knows of a key: its version, its text (null when absent), its entry. */
  private record Known(long version, @Nullable String text, Optional<AuditEntry> last) {}

  /** A definition found in a file. */
  private record Located(String file, JsonValue value, String text) {}

  /** One parsed file; {@code root} is empty when it does not parse. */
  private record FileDoc(String name, String label, Optional<JsonValue.Obj> root) {}

  /** The flag files as last read. */
  private static final class Snapshot {
    final FlagFileLoader.Contents contents;
    final List<FileDoc> docs;
    final Map<String, Located> flags;
    final Map<String, Located> segments;
    final Optional<String> problem;
    boolean loadChecked; // loadProblem is computed once, when a write needs it
    Optional<String> loadProblem = Optional.empty();

    Snapshot(
        FlagFileLoader.Contents contents,
        List<FileDoc> docs,
        Map<String, Located> flags,
        Map<String, Located> segments,
        Optional<String> problem) {
      this.contents = contents;
      this.docs = docs;
      this.flags = flags;
      this.segments = segments;
      this.problem = problem;
    }

    Map<String, Located> of(DefinitionKind kind) {
      return kind == DefinitionKind.FLAG ? flags : segments;
    }
  }

  private final FlagFileLoader loader;
  private final Optional<Layout> layout;
  private final String createIn;
  private final Clock clock;
  private final Duration lockTimeout;
  private final FlagCodec codec;
  private final PrettyJson pretty;
  private final FileAuditLines lines;
  private final ReentrantLock jvmLock;

  // Guarded by jvmLock.
  private final Map<String, Known> knownFlags = new HashMap<>();
  private final Map<String, Known> knownSegments = new HashMap<>();
  private final ArrayDeque<AuditEntry> recent = new ArrayDeque<>();
  private final List<AuditEntry> unrecorded = new ArrayList<>(); // raw edits it could not append
  private long entriesInFile;
  private long auditOffset;
  private @Nullable Object auditFileKey;
  private long lastIdMillis = -1;
  private long lastIdSequence;
  private String lastIdInFile = ""; // what a pending write may already have appended
  private @Nullable Snapshot snapshot; // null until the first catch-up
  private Optional<List<FlagFileLoader.FileStat>> lastStat = Optional.empty();
  private long lastReadMillis;
  private volatile java.nio.file.@Nullable FileStore
      fileStore; // looked up once: it reads the mount table
  private boolean cleanedTemporaryFiles;
  private Optional<String> recoveryProblem = Optional.empty();
  private boolean closed;
  private Consumer<String> steps = step -> {};

  FileRepository(
      FlagFileLoader loader,
      Optional<Layout> layout,
      String createIn,
      Clock clock,
      Duration lockTimeout,
      FlagCodec codec) {
    this.loader = loader;
    this.layout = layout;
    this.createIn = createIn;
    this.clock = clock;
    this.lockTimeout = lockTimeout;
    this.codec = codec;
    this.pretty = new PrettyJson(codec);
    this.lines = new FileAuditLines(codec);
    this.jvmLock =
        layout.isPresent()
            ? JVM_LOCKS.computeIfAbsent(layout.get().lock(), p -> new ReentrantLock())
            : new ReentrantLock();
  }

  /** A member of the record of a pending write, which must be there with that type. */
  private static <T extends JsonValue> T member(JsonValue.Obj o, String name, Class<T> type) {
    return type.cast(Objects.requireNonNull(o.members().get(name), name));
  }

  /** The flag files as last read: every caller has caught up first. */
  private Snapshot snapshot() {
    return Objects.requireNonNull(snapshot, "the flag files are read before any use");
  }

  /** The layout of a flag file or directory of flag files at {@code path}. */
  static Layout layoutOf(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      Path home = FlagFileIo.realPath(abs);
      return new Layout(
          home,
          Optional.empty(),
          path.toString(),
          home.resolve(DIRECTORY_BASE + LOCK_SUFFIX),
          home.resolve(DIRECTORY_BASE + AUDIT_SUFFIX),
          home.resolve(DIRECTORY_BASE + PENDING_SUFFIX));
    }
    Path file = realFile(abs);
    Path home = Objects.requireNonNull(file.getParent(), "a file has a parent");
    String name = String.valueOf(file.getFileName());
    return new Layout(
        home,
        Optional.of(file),
        path.toString(),
        home.resolve(name + LOCK_SUFFIX),
        home.resolve(name + AUDIT_SUFFIX),
        home.resolve(name + PENDING_SUFFIX));
  }

  /** The real path of a file, or — for a file that does not exist yet — of its directory. */
  private static Path realFile(Path abs) {
    if (Files.exists(abs)) {
      return FlagFileIo.realPath(abs);
    }
    Path parent = abs.getParent();
    if (parent != null && Files.isDirectory(parent)) {
      return FlagFileIo.realPath(parent).resolve(String.valueOf(abs.getFileName()));
    }
    return abs;
  }

  /**
   * Calls {@code hook} at each step of a write ({@code temporary-files-written}, {@code committed},
   * {@code renamed}, {@code appended}); tests make a step fail or simulate a crash there.
   */
  void onStep(Consumer<String> hook) {
    this.steps = hook;
  }

  /** Catches up at once, so a write interrupted by a crash is completed when the admin opens. */
  void open() {
    try {
      withState(false, () -> null);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Cannot catch up with the flag files yet: {0}", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Stored> read(DefinitionKind kind, String key) {
    return withState(false, () -> Optional.ofNullable(storedLocked(kind, key)));
  }

  @Override
  public long currentVersion(DefinitionKind kind, String key) {
    return withState(false, () -> versionLocked(kind, key));
  }

  @Override
  public List<Stored> readAll(DefinitionKind kind) {
    return withState(
        false,
        () -> {
          List<Stored> out = new ArrayList<>();
          for (String key : new TreeSet<>(snapshot().of(kind).keySet())) {
            out.add(storedLocked(kind, key));
          }
          return out;
        });
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    return withState(
        false,
        () -> {
          List<AuditEntry> out = new ArrayList<>();
          Iterator<AuditEntry> newestFirst = recent.descendingIterator();
          while (newestFirst.hasNext() && out.size() < query.limit()) {
            AuditEntry e = newestFirst.next();
            if (query.matches(e)) {
              out.add(e);
            }
          }
          if (out.size() == query.limit() || entriesInFile <= recent.size() - unrecorded.size()) {
            return out; // the newest matches, or every entry there is
          }
          return scanAudit(query::matches, query.limit());
        });
  }

  @Override
  public Optional<AuditEntry> auditEntry(String id) {
    return withState(
        false,
        () -> {
          for (AuditEntry e : recent) {
            if (e.id().equals(id)) {
              return Optional.of(e);
            }
          }
          if (entriesInFile <= recent.size() - unrecorded.size()) {
            return Optional.empty();
          }
          List<AuditEntry> found = scanAudit(e -> e.id().equals(id), 1);
          return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
  }

  @Override
  public String description() {
    if (layout.isEmpty()) {
      return loader.describe();
    }
    return (layout.get().isDirectory() ? "directory " : "file ") + layout.get().label();
  }

  @Override
  public Optional<String> readOnlyReason() {
    Optional<String> why = fileSystemReason();
    if (why.isPresent()) {
      return why;
    }
    return withState(false, this::contentReasonLocked);
  }

  @Override
  public void close() {
    jvmLock.lock();
    try {
      closed = true;
    } finally {
      jvmLock.unlock();
    }
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Outcome write(List<Write> batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return new Applied(List.of());
    }
    Set<String> seen = new TreeSet<>();
    for (Write w : batch) {
      if (!seen.add(w.kind() + ":" + w.key())) {
        throw new IllegalArgumentException("batch: names " + w.key() + " twice");
      }
    }
    Optional<String> readOnly = fileSystemReason();
    if (readOnly.isPresent()) {
      throw new ReadOnlyStoreException(readOnly.get());
    }
    return withState(true, () -> writeLocked(batch));
  }

  private Outcome writeLocked(List<Write> batch) {
    Optional<String> refused = contentReasonLocked();
    if (refused.isPresent()) {
      throw new ReadOnlyStoreException(refused.get());
    }
    for (int i = 0; i < batch.size(); i++) {
      Write w = batch.get(i);
      boolean present = snapshot().of(w.kind()).containsKey(w.key());
      long version = versionLocked(w.kind(), w.key());
      Optional<AuditEntry> last = lastChangeLocked(w.kind(), w.key());
      if (w.operation() == Operation.CREATE && present) {
        return new Conflict(i, Conflict.Why.EXISTS, version, last);
      }
      if (w.operation() != Operation.CREATE && !present) {
        return new Conflict(i, Conflict.Why.MISSING, version, last);
      }
      if (w.expectedVersion() != ANY_VERSION && w.expectedVersion() != version) {
        return new Conflict(i, Conflict.Why.VERSION, version, last);
      }
    }
    Layout l = layout.orElseThrow();
    Map<String, EditedFile> edited = new TreeMap<>();
    List<AuditEntry> entries = new ArrayList<>(batch.size());
    for (Write w : batch) {
      Located current = snapshot().of(w.kind()).get(w.key());
      String file =
          current != null ? current.file() : l.file().map(FlagFileIo::name).orElse(createIn);
      EditedFile target = edited.computeIfAbsent(file, this::editedFile);
      Optional<JsonValue> value = w.value().map(v -> parseValue(w, v));
      Map<String, JsonValue> definitions =
          w.kind() == DefinitionKind.FLAG ? target.flags : target.segments;
      if (value.isPresent()) {
        definitions.put(w.key(), value.get());
      } else {
        definitions.remove(w.key());
      }
      entries.add(
          new AuditEntry(
              nextId(),
              clock.instant(),
              w.kind(),
              w.key(),
              versionLocked(w.kind(), w.key()) + 1,
              w.action(),
              w.actor(),
              w.reason(),
              Optional.ofNullable(current).map(Located::text),
              value.map(this::canonical)));
    }
    Map<String, byte[]> bytes = new TreeMap<>();
    edited.forEach((name, f) -> bytes.put(name, pretty.write(f.toJson()).getBytes(UTF8)));
    checkStillLoads(bytes);
    commit(l, bytes, entries);
    return new Applied(entries);
  }

  /** A file being edited: its members, with the maps of definitions open for changes. */
  private static final class EditedFile {
    final Map<String, JsonValue> root;
    final Map<String, JsonValue> flags;
    final Map<String, JsonValue> segments;

    EditedFile(JsonValue.Obj parsed) {
      this.root = new LinkedHashMap<>(parsed.members());
      this.flags = members(root.get("flags"));
      this.segments = members(root.get("segments"));
    }

    private static Map<String, JsonValue> members(@Nullable JsonValue v) {
      return v instanceof JsonValue.Obj o
          ? new LinkedHashMap<>(o.members())
          : new LinkedHashMap<>();
    }

    /**
     * The file: its members in their order; {@code "flags"} and {@code "segments"} added only when
     * there are some (a new file always has {@code "flags"}).
     */
    JsonValue.Obj toJson() {
      Map<String, JsonValue> out = new LinkedHashMap<>(root);
      if (root.containsKey("flags") || !flags.isEmpty() || root.isEmpty()) {
        out.put("flags", new JsonValue.Obj(flags));
      }
      if (root.containsKey("segments") || !segments.isEmpty()) {
        out.put("segments", new JsonValue.Obj(segments));
      }
      return new JsonValue.Obj(out);
    }
  }

  private EditedFile editedFile(String name) {
    for (FileDoc d : snapshot().docs) {
      if (d.name().equals(name)) {
        return new EditedFile(d.root().orElseThrow());
      }
    }
    return new EditedFile(new JsonValue.Obj(Map.of()));
  }

  private JsonValue parseValue(Write w, String text) {
    try {
      return codec.parse(text);
    } catch (IllegalArgumentException e) {
      throw new FlagValidationException(
          "", "a flag file holds JSON; the value of " + w.key() + " is not: " + e.getMessage());
    }
  }

  /**
   * Refuses a write after which the application's {@link FileFlagStore} would reject the files (a
   * flag using a segment no file defines, say), unless they do not load already: then fixes must be
   * possible one definition at a time.
   */
  private void checkStillLoads(Map<String, byte[]> changed) {
    Snapshot now = snapshot();
    if (!now.loadChecked) {
      now.loadProblem = loadProblem(now.contents);
      now.loadChecked = true;
    }
    if (now.loadProblem.isPresent()) {
      return;
    }
    Layout l = layout.orElseThrow();
    Map<String, FlagFileLoader.RawFile> files = new TreeMap<>();
    for (FlagFileLoader.RawFile f : snapshot().contents.files()) {
      files.put(f.name(), f);
    }
    changed.forEach(
        (name, bytes) -> {
          String label = l.isDirectory() ? Path.of(l.label()).resolve(name).toString() : l.label();
          files.put(name, new FlagFileLoader.RawFile(name, label, bytes));
        });
    Optional<String> problem = loadProblem(FlagFileLoader.contents(List.copyOf(files.values())));
    if (problem.isPresent()) {
      throw new FlagValidationException(
          "",
          "refused: the flag files would no longer load ("
              + problem.get()
              + "); nothing was written");
    }
  }

  private Optional<String> loadProblem(FlagFileLoader.Contents contents) {
    if (contents.missing().isPresent()) {
      return Optional.empty();
    }
    try {
      loader.decode(contents);
      return Optional.empty();
    } catch (FlagFileLoader.LoadException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /** Steps (1) to (5) of the class comment. */
  private void commit(Layout l, Map<String, byte[]> files, List<AuditEntry> entries) {
    List<Path[]> renames = new ArrayList<>(); // {temporary, target}
    try {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Path target = targetOf(l, f.getKey());
        renames.add(new Path[] {writeTemporary(target, f.getValue()), target});
      }
      steps.accept("temporary-files-written");
      writePending(l, renames, entries);
    } catch (IOException | RuntimeException e) {
      for (Path[] r : renames) {
        FlagFileIo.deleteQuietly(r[0]);
      }
      throw failure("write " + l.label(), e, false);
    }
    int renamed = 0;
    try {
      steps.accept("committed");
      for (Path[] r : renames) {
        Files.move(r[0], r[1], StandardCopyOption.ATOMIC_MOVE);
        renamed++;
      }
      for (Path[] r : renames) {
        FlagFileIo.syncDirectory(Objects.requireNonNull(r[1].getParent()));
      }
    } catch (IOException | RuntimeException e) {
      if (renamed == 0 && undoPending(l, renames)) {
        throw failure("write " + l.label(), e, false);
      }
      throw new StoreUnavailableException(
          l.label()
              + ": "
              + renamed
              + " of "
              + renames.size()
              + " files were written when renaming failed ("
              + e
              + "); the rest of the write waits in "
              + l.pending()
              + " and is completed by the next admin of these files",
          true,
          e);
    }
    appendAndForgetPending(l, entries);
  }

  /** Steps (4) and (5): the audit lines, then the pending file is no longer needed. */
  private void appendAndForgetPending(Layout l, List<AuditEntry> entries) {
    try {
      steps.accept("renamed");
      appendAudit(l, entries);
    } catch (IOException | RuntimeException e) {
      recoveryProblem = Optional.of("cannot append to " + l.audit() + ": " + e);
      throw new StoreUnavailableException(
          l.label()
              + ": the change was applied, but its audit entries could not be appended to "
              + l.audit()
              + " ("
              + e
              + "); they wait in "
              + l.pending()
              + " and the next admin of these files appends them",
          true,
          e);
    }
    steps.accept("appended");
    try {
      Files.deleteIfExists(l.pending());
    } catch (IOException e) {
      // Harmless: the next admin finds every renamed file in place and every line appended.
      LOG.log(Level.WARNING, "Cannot delete {0}: {1}", l.pending(), e);
    }
  }

  private boolean undoPending(Layout l, List<Path[]> renames) {
    try {
      Files.deleteIfExists(l.pending());
      for (Path[] r : renames) {
        FlagFileIo.deleteQuietly(r[0]);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Path targetOf(Layout l, String name) {
    if (l.file().isPresent()) {
      return l.file().get();
    }
    Path t = l.home().resolve(name);
    return Files.isSymbolicLink(t) ? FlagFileIo.realPath(t) : t;
  }

  private Path writeTemporary(Path target, byte[] bytes) throws IOException {
    Path dir = Objects.requireNonNull(target.getParent(), "a file has a parent");
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    Path temp =
        dir.resolve(
            "." + FlagFileIo.name(target) + TEMP_MARK + HexFormat.of().formatHex(random) + ".tmp");
    try (FileChannel ch =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      FlagFileIo.writeFully(ch, bytes);
      FlagFileIo.copyOwnerAndPermissions(target, temp, false);
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      FlagFileIo.deleteQuietly(temp);
      throw e;
    }
    return temp;
  }

  private void writePending(Layout l, List<Path[]> renames, List<AuditEntry> entries)
      throws IOException {
    List<JsonValue> files = new ArrayList<>();
    for (Path[] r : renames) {
      Map<String, JsonValue> m = new LinkedHashMap<>();
      m.put("temporary", JsonValue.of(r[0].toString()));
      m.put("target", JsonValue.of(r[1].toString()));
      files.add(new JsonValue.Obj(m));
    }
    List<JsonValue> lineList = new ArrayList<>();
    for (AuditEntry e : entries) {
      lineList.add(lines.toJson(e));
    }
    Map<String, JsonValue> m = new LinkedHashMap<>();
    m.put("renames", new JsonValue.Arr(files));
    m.put("entries", new JsonValue.Arr(lineList));
    byte[] bytes = (codec.write(new JsonValue.Obj(m)) + "\n").getBytes(UTF8);
    // Written whole under another name and renamed, so a pending file that exists is complete.
    Path temp = writeTemporary(l.pending(), bytes);
    try {
      Files.move(temp, l.pending(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      FlagFileIo.deleteQuietly(temp);
      throw e;
    }
    FlagFileIo.syncDirectory(l.home());
  }

  /** Completes a write that was interrupted after its commit point. */
  private void recoverLocked(Layout l) {
    if (!Files.exists(l.pending())) {
      recoveryProblem = Optional.empty();
      return;
    }
    JsonValue.Obj pending;
    try {
      pending = (JsonValue.Obj) codec.parse(Files.readAllBytes(l.pending()));
    } catch (IOException | RuntimeException e) {
      recoveryProblem = Optional.of("cannot read " + l.pending() + ": " + e);
      return;
    }
    try {
      List<AuditEntry> entries = new ArrayList<>();
      for (JsonValue v : member(pending, "entries", JsonValue.Arr.class).elements()) {
        AuditEntry e = lines.fromJson((JsonValue.Obj) v);
        if (lastIdInFile.isEmpty() || FileAuditLines.compareIds(e.id(), lastIdInFile) > 0) {
          entries.add(e);
        }
      }
      for (JsonValue v : member(pending, "renames", JsonValue.Arr.class).elements()) {
        JsonValue.Obj r = (JsonValue.Obj) v;
        Path temp = Path.of(member(r, "temporary", JsonValue.Str.class).value());
        Path target = Path.of(member(r, "target", JsonValue.Str.class).value());
        if (Files.exists(temp)) {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
          FlagFileIo.syncDirectory(Objects.requireNonNull(target.getParent()));
        }
      }
      LOG.log(
          Level.WARNING,
          "Completed a write to {0} that was interrupted after its commit point ({1} audit"
              + " entries appended)",
          l.label(),
          entries.size());
      appendAudit(l, entries);
      Files.deleteIfExists(l.pending());
      recoveryProblem = Optional.empty();
    } catch (IOException | RuntimeException e) {
      recoveryProblem = Optional.of("cannot complete the write in " + l.pending() + ": " + e);
    }
  }

  private void appendAudit(Layout l, List<AuditEntry> entries) throws IOException {
    if (entries.isEmpty()) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AuditEntry e : entries) {
      out.writeBytes((lines.encode(e) + "\n").getBytes(UTF8));
    }
    boolean created = !Files.exists(l.audit());
    try (FileChannel ch =
        FileChannel.open(
            l.audit(),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      if (created) {
        FlagFileIo.copyOwnerAndPermissions(l.file().orElse(l.home()), l.audit(), true);
      }
      long end = FlagFileIo.endOfLastLine(ch);
      if (end < ch.size()) {
        LOG.log(
            Level.WARNING,
            "{0} ends with an incomplete line (an append was interrupted); it is removed",
            l.audit());
        ch.truncate(end);
      }
      ch.position(end);
      FlagFileIo.writeFully(ch, out.toByteArray());
      ch.force(true);
    }
    readNewAuditLines(l);
  }

  // ---------------------------------------------------------------- state

  /** Runs {@code body} holding the locks, after catching up with the files. */
  private <T> T withState(boolean forWrite, Supplier<T> body) {
    acquireJvmLock();
    try {
      if (closed) {
        throw new IllegalStateException("the file admin of " + loader.describe() + " is closed");
      }
      boolean writable = layout.isPresent() && fileSystemReason().isEmpty();
      if (!writable) {
        catchUp(false);
        return body.get();
      }
      Layout l = layout.orElseThrow();
      boolean createdLock = !Files.exists(l.lock());
      FileChannel channel;
      try {
        channel = FileChannel.open(l.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException | RuntimeException e) {
        RuntimeException f = failure("open the lock file " + l.lock(), e, false);
        if (!forWrite && f instanceof ReadOnlyStoreException) {
          catchUp(false); // read without the lock: nothing can be written anyway
          return body.get();
        }
        throw f;
      }
      try (channel) {
        if (createdLock) {
          FlagFileIo.copyOwnerAndPermissions(l.file().orElse(l.home()), l.lock(), true);
        }
        FileLock lock = acquireFileLock(l, channel);
        try {
          catchUp(true);
          return body.get();
        } finally {
          if (lock != null) {
            lock.release();
          }
        }
      } catch (IOException e) {
        throw failure("use the lock file " + l.lock(), e, false);
      }
    } finally {
      jvmLock.unlock();
    }
  }

  private void acquireJvmLock() {
    try {
      if (!jvmLock.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new StoreUnavailableException(
            loader.describe()
                + ": another writer in this process held the lock for more than "
                + lockTimeout,
            false,
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          loader.describe() + ": interrupted while waiting for the lock", false, e);
    }
  }

  /** The exclusive lock, waiting up to the lock timeout; null where file locks do not exist. */
  private @Nullable FileLock acquireFileLock(Layout l, FileChannel channel) throws IOException {
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    long pause = TimeUnit.MILLISECONDS.toNanos(1);
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (UnsupportedOperationException e) {
        return null; // a file system without locks (an in-memory one): the JVM lock is all there is
      }
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new StoreUnavailableException(
            l.label()
                + ": another process (flagctl, another server) held "
                + l.lock()
                + " for more than "
                + lockTimeout
                + "; nothing was written",
            false,
            null);
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(50));
      if (Thread.currentThread().isInterrupted()) {
        throw new StoreUnavailableException(
            l.label() + ": interrupted while waiting for " + l.lock(), false, null);
      }
    }
  }

  /** See the class comment, "State". */
  private void catchUp(boolean locked) {
    if (layout.isPresent()) {
      Layout l = layout.get();
      if (locked && !cleanedTemporaryFiles) {
        cleanTemporaryFiles(l);
      }
      readNewAuditLines(l);
      if (locked) {
        recoverLocked(l);
      }
    }
    readFiles();
    if (snapshot().problem.isEmpty() && recoveryProblem.isEmpty()) {
      recordRawEdits(locked);
    }
  }

  /**
   * Deletes temporary files left by a writer that died before its commit point (every writer holds
   * the lock while its temporary files exist, and a pending write is completed first).
   */
  private void cleanTemporaryFiles(Layout l) {
    cleanedTemporaryFiles = true;
    if (Files.exists(l.pending())) {
      return; // its temporary files are still to be renamed
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(l.home(), "*.tmp")) {
      for (Path f : files) {
        if (FlagFileIo.name(f).startsWith(".") && FlagFileIo.name(f).contains(TEMP_MARK)) {
          LOG.log(Level.INFO, "Deleting {0}, left by an interrupted write", f);
          FlagFileIo.deleteQuietly(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Cannot list {0}: {1}", l.home(), e);
    }
  }

  private void readNewAuditLines(Layout l) {
    Path audit = l.audit();
    if (!Files.exists(audit)) {
      if (auditOffset > 0) {
        LOG.log(Level.WARNING, "{0} is gone; versions continue from what was read", audit);
        auditOffset = 0;
        auditFileKey = null;
      }
      return;
    }
    try (FileChannel ch = FileChannel.open(audit, StandardOpenOption.READ)) {
      Object key =
          Files.readAttributes(audit, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
      long size = ch.size();
      if (size < auditOffset || (auditFileKey != null && !auditFileKey.equals(key))) {
        LOG.log(Level.WARNING, "{0} was replaced or truncated; reading it again", audit);
        forgetAudit();
      }
      auditFileKey = key;
      if (size == auditOffset) {
        return;
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - auditOffset, 1 << 20));
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      long pos = auditOffset;
      long lineStart = auditOffset;
      while (pos < size) {
        buf.clear();
        int n = ch.read(buf, pos);
        if (n <= 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          byte b = buf.get(i);
          if (b == '\n') {
            ingestLine(audit, lineStart, line.toString(UTF8));
            line.reset();
            lineStart = pos + i + 1;
          } else {
            line.write(b);
          }
        }
        pos += n;
      }
      auditOffset = lineStart; // an incomplete last line is read again once it is complete
    } catch (NoSuchFileException e) {
      // Removed meanwhile: the next look sees it gone.
    } catch (IOException e) {
      throw new StoreUnavailableException(
          loader.describe() + ": cannot read " + audit + ": " + e, false, e);
    }
  }

  private void ingestLine(Path audit, long offset, String line) {
    if (line.isBlank()) {
      return;
    }
    AuditEntry e;
    try {
      e = lines.decode(line);
    } catch (RuntimeException bad) {
      LOG.log(
          Level.WARNING,
          "{0}: the line at byte {1} is not an audit entry and is skipped: {2}",
          audit,
          offset,
          bad.getMessage());
      return;
    }
    entriesInFile++;
    lastIdInFile = e.id();
    remember(e);
  }

  private void remember(AuditEntry e) {
    Map<String, Known> known = knownOf(e.kind());
    known.put(
        e.key(),
        new Known(e.version(), e.after().map(this::canonical).orElse(null), Optional.of(e)));
    recent.addLast(e);
    while (recent.size() > RECENT_ENTRIES) {
      AuditEntry dropped = recent.removeFirst();
      unrecorded.remove(dropped);
    }
    long[] id = FileAuditLines.parseId(e.id());
    if (id != null && (id[0] > lastIdMillis || (id[0] == lastIdMillis && id[1] > lastIdSequence))) {
      lastIdMillis = id[0];
      lastIdSequence = id[1];
    }
  }

  private void forgetAudit() {
    knownFlags.clear();
    knownSegments.clear();
    recent.clear();
    unrecorded.clear();
    entriesInFile = 0;
    auditOffset = 0;
    lastIdInFile = "";
  }

  private void readFiles() {
    Optional<List<FlagFileLoader.FileStat>> stat = loader.stat();
    long now = System.currentTimeMillis();
    if (snapshot != null
        && stat.isPresent()
        && stat.equals(lastStat)
        && stat.get().stream()
            .allMatch(f -> lastReadMillis - f.modifiedMillis() >= TIMESTAMP_GRANULARITY_MILLIS)) {
      return; // same names, sizes and times, and read long enough after them to trust the times
    }
    lastStat = stat;
    lastReadMillis = now;
    FlagFileLoader.Contents contents;
    try {
      contents = loader.read();
    } catch (IOException e) {
      throw new StoreUnavailableException(loader.describe() + ": cannot read: " + e, false, e);
    }
    if (snapshot != null && snapshot.contents.fingerprint().equals(contents.fingerprint())) {
      return;
    }
    snapshot = parse(contents);
  }

  private Snapshot parse(FlagFileLoader.Contents contents) {
    List<FileDoc> docs = new ArrayList<>();
    Map<String, Located> flags = new LinkedHashMap<>();
    Map<String, Located> segments = new LinkedHashMap<>();
    Map<String, String> labels = new HashMap<>();
    List<String> problems = new ArrayList<>();
    if (contents.missing().isPresent() && (layout.isEmpty() || layout.get().isDirectory())) {
      problems.add(contents.missing().get());
    }
    for (FlagFileLoader.RawFile f : contents.files()) {
      labels.put(f.name(), f.label());
      JsonValue root;
      try {
        root = codec.parse(f.bytes());
      } catch (RuntimeException e) {
        problems.add(f.label() + ": " + e.getMessage());
        docs.add(new FileDoc(f.name(), f.label(), Optional.empty()));
        continue;
      }
      if (!(root instanceof JsonValue.Obj o)) {
        problems.add(f.label() + ": a flag file is an object with \"flags\" and \"segments\"");
        docs.add(new FileDoc(f.name(), f.label(), Optional.empty()));
        continue;
      }
      boolean ok = true;
      for (String member : List.of("flags", "segments")) {
        JsonValue v = o.members().get(member);
        if (v == null) {
          continue;
        }
        if (!(v instanceof JsonValue.Obj definitions)) {
          problems.add(f.label() + ": " + member + ": expected an object of definitions by key");
          ok = false;
          continue;
        }
        Map<String, Located> into = member.equals("flags") ? flags : segments;
        for (Map.Entry<String, JsonValue> e : definitions.members().entrySet()) {
          Located earlier = into.get(e.getKey());
          if (earlier != null) {
            problems.add(
                f.label()
                    + ": "
                    + member
                    + "."
                    + e.getKey()
                    + ": "
                    + (member.equals("flags") ? "flag" : "segment")
                    + " \""
                    + e.getKey()
                    + "\" is also defined in "
                    + labels.get(earlier.file()));
            continue;
          }
          into.put(e.getKey(), new Located(f.name(), e.getValue(), canonical(e.getValue())));
        }
      }
      docs.add(new FileDoc(f.name(), f.label(), ok ? Optional.of(o) : Optional.empty()));
    }
    return new Snapshot(
        contents,
        List.copyOf(docs),
        flags,
        segments,
        problems.isEmpty() ? Optional.empty() : Optional.of(problems.get(0)));
  }

  /**
   * Compares every definition with what its last audit entry left, and records each difference as a
   * raw edit. A definition with no history is taken as it is, at the version in its JSON or 1.
   */
  private void recordRawEdits(boolean canAppend) {
    List<AuditEntry> raw = new ArrayList<>();
    for (DefinitionKind kind : DefinitionKind.values()) {
      Map<String, Known> known = knownOf(kind);
      Map<String, Located> now = snapshot().of(kind);
      Set<String> keys = new TreeSet<>(now.keySet());
      for (Map.Entry<String, Known> k : known.entrySet()) {
        if (k.getValue().text() != null) {
          keys.add(k.getKey());
        }
      }
      for (String key : keys) {
        Located current = now.get(key);
        Known k = known.get(key);
        if (k == null) {
          Located added = Objects.requireNonNull(current, "a key only known is in the history");
          known.put(key, new Known(initialVersion(added.value()), added.text(), Optional.empty()));
          continue;
        }
        String text = current == null ? null : current.text();
        if (!Objects.equals(text, k.text())) {
          raw.add(
              new AuditEntry(
                  nextId(),
                  clock.instant(),
                  kind,
                  key,
                  k.version() + 1,
                  AuditEntry.ACTION_RAW_EDIT,
                  AuditEntry.RAW_EDIT_ACTOR,
                  "",
                  Optional.ofNullable(k.text()),
                  Optional.ofNullable(text)));
        }
      }
    }
    if (raw.isEmpty()) {
      return;
    }
    if (canAppend) {
      try {
        appendAudit(layout.orElseThrow(), raw);
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "Cannot record {0} raw edit(s) of {1} in the audit file: {2}",
            raw.size(),
            loader.describe(),
            e);
      }
    }
    // Read-only: kept in memory, so versions still move and the earlier definitions can be seen.
    for (AuditEntry e : raw) {
      remember(e);
      unrecorded.add(e);
    }
  }

  private static long initialVersion(JsonValue value) {
    if (value instanceof JsonValue.Obj o && o.members().get("version") instanceof JsonValue.Num n) {
      try {
        long v = n.value().longValueExact();
        if (v >= 1) {
          return v;
        }
      } catch (ArithmeticException e) {
        // Not an integer: the flag does not read anyway.
      }
    }
    return 1;
  }

  /** The newest entries that match, newest first, read from the whole audit file. */
  private List<AuditEntry> scanAudit(Predicate<AuditEntry> matches, int limit) {
    ArrayDeque<AuditEntry> newest = new ArrayDeque<>();
    Layout l = layout.orElseThrow();
    try (var reader = Files.newBufferedReader(l.audit(), UTF8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          AuditEntry e = lines.decode(line);
          if (matches.test(e)) {
            newest.addLast(e);
            if (newest.size() > limit) {
              newest.removeFirst();
            }
          }
        } catch (RuntimeException bad) {
          // Reported when first read.
        }
      }
    } catch (IOException e) {
      throw new StoreUnavailableException(
          loader.describe() + ": cannot read " + l.audit() + ": " + e, false, e);
    }
    for (AuditEntry e : unrecorded) {
      if (matches.test(e)) {
        newest.addLast(e);
      }
    }
    List<AuditEntry> out = new ArrayList<>(newest);
    out.sort(Comparator.comparing(AuditEntry::id, FileAuditLines::compareIds).reversed());
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  private @Nullable Stored storedLocked(DefinitionKind kind, String key) {
    Located l = snapshot().of(kind).get(key);
    if (l == null) {
      return null;
    }
    return new Stored(kind, key, versionLocked(kind, key), l.text(), lastChangeLocked(kind, key));
  }

  private long versionLocked(DefinitionKind kind, String key) {
    Known k = knownOf(kind).get(key);
    return k == null ? 0 : k.version();
  }

  private Optional<AuditEntry> lastChangeLocked(DefinitionKind kind, String key) {
    Known k = knownOf(kind).get(key);
    return k == null ? Optional.empty() : k.last();
  }

  private Map<String, Known> knownOf(DefinitionKind kind) {
    return kind == DefinitionKind.FLAG ? knownFlags : knownSegments;
  }

  private String nextId() {
    long now = clock.millis();
    if (now > lastIdMillis) {
      lastIdMillis = now;
      lastIdSequence = 0;
    } else {
      lastIdSequence++;
    }
    return lastIdMillis + "-" + lastIdSequence;
  }

  /** The stored text of a value: {@code true}/{@code false}, or compact JSON. */
  private String canonical(JsonValue value) {
    return codec.write(value);
  }

  private String canonical(String text) {
    try {
      return codec.write(codec.parse(text));
    } catch (RuntimeException e) {
      return text;
    }
  }

  // ---------------------------------------------------------------- read-only

  /** Why the files cannot be written, from the file system alone. */
  Optional<String> fileSystemReason() {
    if (layout.isEmpty()) {
      return Optional.of(
          loader.describe()
              + " is a resource inside the application and cannot be written: change the file it"
              + " is built from, or use a flag file or Redis");
    }
    Layout l = layout.get();
    if (!Files.isDirectory(l.home())) {
      return Optional.of(
          "the directory " + l.home() + " of " + l.label() + " does not exist: create it first");
    }
    try {
      java.nio.file.FileStore store = fileStore;
      if (store == null) {
        store = Files.getFileStore(l.home());
        fileStore = store;
      }
      if (store.isReadOnly()) {
        return Optional.of(readOnlyFileSystem(l));
      }
    } catch (IOException | RuntimeException e) {
      // Unknown: the checks below and the write itself tell.
    }
    if (!Files.isWritable(l.home())) {
      if (FlagFileIo.isOnReadOnlyFileSystem(l.home())) {
        return Optional.of(readOnlyFileSystem(l));
      }
      return Optional.of(
          "the directory "
              + l.home()
              + " is not writable by this user (permissions or an immutable attribute): the admin"
              + " writes a temporary file, "
              + FlagFileIo.name(l.lock())
              + " and "
              + FlagFileIo.name(l.audit())
              + " there");
    }
    List<Path> mustBeWritable = new ArrayList<>(List.of(l.lock(), l.audit()));
    l.file().ifPresent(mustBeWritable::add);
    for (Path p : mustBeWritable) {
      if (Files.exists(p) && !Files.isWritable(p)) {
        return Optional.of(
            p + " is not writable by this user (permissions or an immutable attribute)");
      }
    }
    return Optional.empty();
  }

  private static String readOnlyFileSystem(Layout l) {
    return l.label()
        + " is on a read-only file system: edit it where it is deployed from, or use Redis";
  }

  /** Why the files as they are cannot be written: one does not parse, a key is defined twice. */
  private Optional<String> contentReasonLocked() {
    if (recoveryProblem.isPresent()) {
      return Optional.of(
          loader.describe()
              + ": an interrupted write cannot be completed ("
              + recoveryProblem.get()
              + "); nothing more is written until it is");
    }
    return snapshot()
        .problem
        .map(p -> p + "; fix it by hand first: the admin writes only flag files it can read");
  }

  private RuntimeException failure(String what, Exception e, boolean mayHaveBeenApplied) {
    if (e instanceof StoreUnavailableException || e instanceof ReadOnlyStoreException) {
      return (RuntimeException) e;
    }
    if (!mayHaveBeenApplied && FlagFileIo.isReadOnlyProblem(e)) {
      return new ReadOnlyStoreException(
          "cannot " + what + ": " + e.getMessage() + "; nothing was written");
    }
    return new StoreUnavailableException("cannot " + what + ": " + e, mayHaveBeenApplied, e);
  }

  // ---------------------------------------------------------------- files

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
