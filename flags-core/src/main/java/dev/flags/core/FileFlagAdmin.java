package dev.flags.core;

import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.json.FlagCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FlagAdmin} over flag files: the same validated, versioned, audited writes as the
 * in-memory and Redis stores, on the files a {@link FileFlagStore} reads. It needs no running
 * client: flagctl uses it from another process while applications watch the same file, and they see
 * each write as they see any edit. See {@code docs/file-store.md}, "Writing flags".
 *
 * {@snippet :
 * try (FlagAdmin admin = FileFlagAdmin.builder(Path.of("/etc/myapp/flags.json")).build()) {
 *   admin.setOn("new_checkout_flow", false, Change.by("alice").because("INC-7"));
 * }
 * }
 *
 * <ul>
 *   <li><b>What is written.</b> The whole file, to a temporary file beside it that is synced and
 *       renamed over it atomically (keeping its owner and permissions), in a canonical pretty form:
 *       two-space indentation, the members of each flag in the order the codec writes them, the
 *       file's order of flags kept and new ones appended. So after the first write (which
 *       re-formats a hand-formatted file) an edit changes only the lines of what it touches. A
 *       plain on/off switch stays a bare {@code true}/{@code false}; members this SDK version does
 *       not understand are kept.
 *   <li><b>Audit and versions.</b> Every write appends one line per change to {@code
 *       flags.json.audit.jsonl} beside the file; versions are derived from it (a definition with no
 *       history has the version in its JSON, or 1). A definition that differs from what its last
 *       entry wrote was edited by hand, and is recorded as a raw edit first.
 *   <li><b>Other writers.</b> Every operation holds an exclusive lock on {@code flags.json.lock}
 *       (and a lock shared by the admins of the file in this JVM), so writers in several processes
 *       never lose each other's writes, and a write made from a stale version fails naming who
 *       changed the flag meanwhile.
 *   <li><b>Directories.</b> For a directory of {@code *.json} files, an edit or delete goes to the
 *       file that holds the definition, and a new definition to {@link Builder#newDefinitionsFile}
 *       ({@value #DEFAULT_NEW_DEFINITIONS_FILE} by default); the lock and audit files are {@code
 *       .flags.lock} and {@code .flags.audit.jsonl} inside it.
 *   <li><b>Refused.</b> A classpath resource, a read-only file system, a file or directory this
 *       user cannot write, and flag files that do not parse: {@link FlagAdmin#readOnlyReason()}
 *       says why in one line and every write throws {@link ReadOnlyStoreException}; reads list what
 *       can be read. A write after which the files would no longer load in a {@link FileFlagStore}
 *       (a flag naming a segment no file defines) is refused with the loader's message.
 * </ul>
 *
 * <p>Not instantiable; the admins it builds are thread-safe.
 */
public final class FileFlagAdmin {

  /** How long an operation waits for another writer's lock, by default: 10 seconds. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

  /** The file of a directory that new definitions are written to, by default. */
  public static final String DEFAULT_NEW_DEFINITIONS_FILE = "flags.json";

  private FileFlagAdmin() {}

  /**
   * Starts a builder for an admin of the flag file (or directory of flag files) at {@code path}. A
   * path that does not exist is a file, created by the first write.
   */
  public static Builder builder(Path path) {
    return new Builder(Objects.requireNonNull(path, "path"), null);
  }

  /**
   * Starts a builder for an admin of what {@code store} reads: its file or directory, with its
   * codec; a classpath resource gives a read-only admin.
   */
  public static Builder builder(FileFlagStore store) {
    Objects.requireNonNull(store, "store");
    return new Builder(null, store.loader());
  }

  /**
   * Configures the admin; each setter checks its argument and names the option. Not thread-safe.
   */
  public static final class Builder {
    private final @Nullable Path path; // null: the store's loader says what
    private final @Nullable FlagFileLoader storeLoader;
    private Clock clock = Clock.systemUTC();
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private String newDefinitionsFile = DEFAULT_NEW_DEFINITIONS_FILE;
    private FlagCodec codec;
    private int maxAttempts = FlagAdmin.DEFAULT_MAX_ATTEMPTS;

    private Builder(@Nullable Path path, @Nullable FlagFileLoader storeLoader) {
      this.path = path;
      this.storeLoader = storeLoader;
      this.codec = storeLoader != null ? storeLoader.codec() : FlagCodec.standard();
    }

    /** The clock of audit entries and of "changed 20 s ago" (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long an operation waits for the lock another writer holds before it fails with {@link
     * dev.flags.core.admin.StoreUnavailableException}; default {@link #DEFAULT_LOCK_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not within 1 millisecond to 10 minutes
     */
    public Builder lockTimeout(Duration lockTimeout) {
      Objects.requireNonNull(lockTimeout, "lockTimeout");
      if (lockTimeout.compareTo(Duration.ofMillis(1)) < 0
          || lockTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "lockTimeout: must be within 1ms..10min, got " + lockTimeout);
      }
      this.lockTimeout = lockTimeout;
      return this;
    }

    /**
     * For a directory: the file new flags and segments are written to, a {@code *.json} name in the
     * directory (created when needed); default {@value #DEFAULT_NEW_DEFINITIONS_FILE}.
     *
     * @throws IllegalArgumentException if not a plain {@code *.json} file name that the store reads
     *     (no directory, not starting with {@code .} or {@code #})
     */
    public Builder newDefinitionsFile(String fileName) {
      Objects.requireNonNull(fileName, "newDefinitionsFile");
      if (!FlagFileLoader.isFlagFileName(fileName)
          || fileName.contains("/")
          || fileName.contains("\\")
          || fileName.equals(".json")) {
        throw new IllegalArgumentException(
            "newDefinitionsFile: must be a *.json file name the store reads (no directory, not"
                + " starting with . or #), got \""
                + fileName
                + "\"");
      }
      this.newDefinitionsFile = fileName;
      return this;
    }

    /**
     * The codec, for other limits than {@link FlagCodec#standard()} (default: the store's, or the
     * standard one).
     */
    public Builder codec(FlagCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** How often an edit without an expected version tries on conflicts (default 100). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts: must be >= 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Builds the admin and catches up with the files: a write that a crash interrupted after its
     * commit point is completed now. Problems with the files are not thrown here; {@link
     * FlagAdmin#readOnlyReason()} and the operations report them.
     */
    public FlagAdmin build() {
      return FlagAdmin.builder(buildRepository()).clock(clock).maxAttempts(maxAttempts).build();
    }

    /** The repository alone, caught up with the files; for tests. */
    FileRepository buildRepository() {
      FlagFileLoader loader;
      Optional<FileRepository.Layout> layout;
      FlagFileLoader fromStore = storeLoader;
      Optional<Path> source =
          path != null || fromStore == null ? Optional.ofNullable(path) : fromStore.path();
      if (source.isPresent()) {
        loader = FlagFileLoader.ofPath(source.get(), codec);
        layout = Optional.of(FileRepository.layoutOf(source.get()));
      } else {
        FlagFileLoader l = Objects.requireNonNull(fromStore, "a builder has a path or a store");
        loader = FlagFileLoader.ofResource(l.resource().orElseThrow(), l.classLoader(), codec);
        layout = Optional.empty();
      }
      FileRepository repository =
          new FileRepository(loader, layout, newDefinitionsFile, clock, lockTimeout, codec);
      repository.open();
      return repository;
    }
  }
}
