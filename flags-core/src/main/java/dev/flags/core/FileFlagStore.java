package dev.flags.core;

import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Flags read from JSON files ({@code docs/flag-format.md}): one file, a directory of {@code *.json}
 * files, or a classpath resource shipped in the application. Files are watched and reloaded when
 * they change; each reload tells the client exactly the flags and segments that changed. A file
 * that cannot be read or validated changes nothing: the last good flags stay, the error is logged
 * once per bad version, reported as a status and by {@link #lastError()}. See {@code
 * docs/file-store.md}.
 *
 * {@snippet file="dev/flags/core/JavadocExamplesTest.java" region="file-store"}
 *
 * <p>The store runs one daemon thread, {@code flags-file-watcher}, which loads, watches and calls
 * the sink; {@link #start} returns at once. Thread-safe.
 */
public final class FileFlagStore implements FlagStore {

  /**
   * How often files are checked for changes (modification time and size) even when the file system
   * reports changes, because on some (network mounts, some containers) it never does: 1 second.
   */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /** How long the files must stay quiet after a change before they are read: 50 milliseconds. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(50);

  /** The name of the store's thread. */
  public static final String THREAD_NAME = "flags-file-watcher";

  /**
   * File systems keep modification times at a granularity (up to 2 seconds on FAT); a file read
   * less than this after its modification time may change again without its time moving, so the
   * poller compares its contents until then.
   */
  private static final long TIMESTAMP_GRANULARITY_MILLIS = 2_000;

  private static final System.Logger LOG = System.getLogger(FileFlagStore.class.getName());

  private final FlagFileLoader loader;
  private final boolean watch;
  private final Duration pollInterval;
  private final Duration debounce;
  private final Object lifecycle = new Object();
  private boolean started;
  private boolean closed;
  private @Nullable Thread thread; // null until started
  private @Nullable FileWatcher watcher; // null unless watching

  // Owned by the store thread.
  private @Nullable StoreSink sink; // null until started
  private Optional<FlagSet> lastGood = Optional.empty();
  private String lastFingerprint = "";
  private Optional<List<FlagFileLoader.FileStat>> lastStat = Optional.empty();
  private long lastReadMillis;
  private StoreStatus status = StoreStatus.INITIALIZING;

  // Read from any thread.
  private volatile Optional<String> lastError = Optional.empty();

  private FileFlagStore(Builder b) {
    this.loader =
        b.path != null
            ? FlagFileLoader.ofPath(b.path, b.codec)
            : FlagFileLoader.ofResource(
                Objects.requireNonNull(b.classpathResource, "build() checks a source is set"),
                Objects.requireNonNull(b.classLoader, "build() sets a class loader"),
                b.codec);
    this.watch = b.path != null && b.watch;
    this.pollInterval = b.pollInterval;
    this.debounce = b.debounce;
  }

  /** Starts a builder; set {@link Builder#path} or {@link Builder#classpathResource}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the store's thread, which loads the files, delivers them to {@code sink} and then
   * watches them. Returns at once.
   *
   * @throws IllegalStateException if the store was started before, or closed
   */
  @Override
  public void start(StoreSink sink) {
    Objects.requireNonNull(sink, "sink");
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("store closed");
      }
      if (started) {
        throw new IllegalStateException("store already started");
      }
      started = true;
      this.sink = sink;
      if (loader.isClasspath()) {
        thread = new Thread(this::loadOnce, THREAD_NAME);
      } else {
        watcher =
            new FileWatcher(
                loader.fileSystem(),
                loader::directoryToWatch,
                watch,
                pollInterval,
                debounce,
                new FileWatcher.Callbacks() {
                  @Override
                  public void load() {
                    reload();
                  }

                  @Override
                  public void changed() {
                    reload();
                  }

                  @Override
                  public boolean poll() {
                    return pollForChanges();
                  }
                });
        thread = new Thread(watcher, THREAD_NAME);
      }
      thread.setDaemon(true);
      thread.start();
    }
  }

  /**
   * The problem with the files as they are now, such as {@code flags.json: rules[2].clauses[0].op:
   * unknown operator "equal" (line 14, column 17)}, or empty when the last read succeeded.
   */
  public Optional<String> lastError() {
    return lastError;
  }

  /**
   * Stops the thread and the file watching; waits briefly for the thread to end. Idempotent; does
   * not throw.
   */
  @Override
  public void close() {
    Thread toJoin;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (watcher != null) {
        watcher.stop();
      }
      toJoin = thread;
    }
    // No interrupt: stopping the watcher wakes the thread, and an interrupt would turn a file read
    // in progress into a ClosedByInterruptException, reported as a bad file.
    if (toJoin != null && toJoin != Thread.currentThread()) {
      try {
        toJoin.join(Duration.ofSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "FileFlagStore[" + loader.describe() + "]";
  }

  /** What this store reads, for {@link FileFlagAdmin#builder(FileFlagStore)}. */
  FlagFileLoader loader() {
    return loader;
  }

  private void loadOnce() {
    reload();
  }

  /** Between events, notices changes the file system did not report. */
  private boolean pollForChanges() {
    Optional<List<FlagFileLoader.FileStat>> stat = loader.stat();
    boolean recentlyWritten =
        stat.isPresent()
            && stat.get().stream()
                .anyMatch(f -> lastReadMillis - f.modifiedMillis() < TIMESTAMP_GRANULARITY_MILLIS);
    // The reload that follows compares contents: files touched but unchanged are not decoded again.
    return !stat.equals(lastStat) || recentlyWritten;
  }

  /** Reads the source; if its contents changed, decodes and applies them, all or nothing. */
  private void reload() {
    if (isClosed()) {
      return;
    }
    lastStat = loader.stat();
    lastReadMillis = System.currentTimeMillis();
    FlagFileLoader.Contents contents;
    try {
      contents = loader.read();
    } catch (IOException e) {
      rejected("io:" + e, loader.describe() + ": cannot read: " + e);
      return;
    }
    if (contents.fingerprint().equals(lastFingerprint)) {
      return;
    }
    FlagSet set;
    try {
      set = loader.decode(contents);
    } catch (FlagFileLoader.LoadException e) {
      rejected(contents.fingerprint(), String.valueOf(e.getMessage()));
      return;
    }
    lastFingerprint = contents.fingerprint();
    apply(set);
  }

  /** The files are bad or missing: keep what we have, say so once. */
  private void rejected(String fingerprint, String message) {
    if (fingerprint.equals(lastFingerprint) || isClosed()) {
      return;
    }
    lastFingerprint = fingerprint;
    lastError = Optional.of(message);
    if (lastGood.isPresent()) {
      LOG.log(Level.WARNING, "Flag files rejected, the last good flags stay in use: {0}", message);
      setStatus(StoreStatus.STALE, message);
    } else {
      LOG.log(Level.WARNING, "Flag files rejected, no flags loaded yet: {0}", message);
      setStatus(StoreStatus.UNAVAILABLE, message);
    }
  }

  private void apply(FlagSet set) {
    boolean recovered = lastError.isPresent();
    lastError = Optional.empty();
    String detail =
        set.flags().size()
            + " flags, "
            + set.segments().size()
            + " segments from "
            + loader.describe();
    if (lastGood.isEmpty()) {
      lastGood = Optional.of(set);
      status =
          StoreStatus.OK; // the first load and its status in one call (setStatus below: no news)
      deliver(() -> sink().replaceAll(StoreSnapshot.of(set), StoreStatus.OK, detail));
    } else {
      FlagSet previous = lastGood.get();
      lastGood = Optional.of(set);
      deliverDiff(previous, set);
    }
    if (recovered) {
      LOG.log(Level.INFO, "Flag files loaded again after an error: {0}", detail);
    } else {
      LOG.log(Level.DEBUG, "Flag files loaded: {0}", detail);
    }
    setStatus(StoreStatus.OK, detail);
  }

  /**
   * Segments first, so a new flag never arrives before a segment it uses; removals of flags before
   * removals of segments, so a removed segment is no longer used by then.
   */
  private void deliverDiff(FlagSet previous, FlagSet next) {
    Map<String, Segment> oldSegments = previous.segments();
    Map<String, Flag> oldFlags = previous.flags();
    next.segments()
        .forEach(
            (key, segment) -> {
              if (!segment.equals(oldSegments.get(key))) {
                deliver(() -> sink().upsertSegment(segment));
              }
            });
    next.flags()
        .forEach(
            (key, flag) -> {
              if (!flag.equals(oldFlags.get(key))) {
                deliver(() -> sink().upsertFlag(flag));
              }
            });
    for (String key : oldFlags.keySet()) {
      if (!next.flags().containsKey(key)) {
        deliver(() -> sink().removeFlag(key));
      }
    }
    for (String key : oldSegments.keySet()) {
      if (!next.segments().containsKey(key)) {
        deliver(() -> sink().removeSegment(key));
      }
    }
  }

  private void setStatus(StoreStatus next, String detail) {
    if (next == status && next == StoreStatus.OK) {
      return; // a reload of good files is not news
    }
    status = next;
    deliver(() -> sink().statusChanged(next, detail));
  }

  /** The sink promises not to throw; if it does anyway, the store thread must survive it. */
  /** The sink, set when the store starts, before anything is delivered. */
  private StoreSink sink() {
    return Objects.requireNonNull(sink, "the store is started");
  }

  private void deliver(Runnable call) {
    if (isClosed()) {
      return;
    }
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "The flag sink threw; continuing", e);
    }
  }

  private boolean isClosed() {
    synchronized (lifecycle) {
      return closed;
    }
  }

  /**
   * Configures a {@link FileFlagStore}. Each setter checks its argument; {@link #build()} checks
   * that exactly one source is set. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Path path;
    private @Nullable String classpathResource;
    private @Nullable ClassLoader classLoader;
    private boolean watch = true;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration debounce = DEFAULT_DEBOUNCE;
    private FlagCodec codec = FlagCodec.standard();

    private Builder() {}

    /**
     * Reads this JSON file, or every {@code *.json} file of this directory (not recursively; names
     * starting with {@code .} are skipped). It need not exist yet.
     */
    public Builder path(Path path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * Reads this classpath resource once, such as {@code flags.json} (a leading {@code /} is
     * ignored). Resources are not watched.
     *
     * @throws IllegalArgumentException if {@code classpathResource} is blank
     */
    public Builder classpathResource(String classpathResource) {
      Objects.requireNonNull(classpathResource, "classpathResource");
      String name =
          classpathResource.startsWith("/") ? classpathResource.substring(1) : classpathResource;
      if (name.isBlank()) {
        throw new IllegalArgumentException(
            "classpathResource must name a resource, got \"" + classpathResource + "\"");
      }
      this.classpathResource = name;
      return this;
    }

    /**
     * The class loader for {@link #classpathResource}; default: the thread's context class loader
     * when {@link #build()} runs, else the one of this library.
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * Whether to listen to file system events (default true). Without them, changes are found by
     * polling only, every {@link #pollInterval}.
     */
    public Builder watch(boolean watch) {
      this.watch = watch;
      return this;
    }

    /**
     * How often to check files for changes the file system did not report; default {@link
     * #DEFAULT_POLL_INTERVAL}.
     *
     * @throws IllegalArgumentException if not at least 10 milliseconds
     */
    public Builder pollInterval(Duration pollInterval) {
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException(
            "pollInterval must be at least 10ms, got " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * How long files must stay quiet after a change event before they are read, so a save in
     * several writes is read once, whole; default {@link #DEFAULT_DEBOUNCE}.
     *
     * @throws IllegalArgumentException if negative or over 10 seconds
     */
    public Builder debounce(Duration debounce) {
      Objects.requireNonNull(debounce, "debounce");
      if (debounce.isNegative() || debounce.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("debounce must be between 0 and 10s, got " + debounce);
      }
      this.debounce = debounce;
      return this;
    }

    /** The codec, for other limits than {@link FlagCodec#standard()}. */
    public Builder codec(FlagCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Builds the store; nothing is read until {@link FileFlagStore#start}.
     *
     * @throws IllegalStateException unless exactly one of path and classpathResource is set
     */
    public FileFlagStore build() {
      if (path == null && classpathResource == null) {
        throw new IllegalStateException("set path or classpathResource");
      }
      if (path != null && classpathResource != null) {
        throw new IllegalStateException("path and classpathResource are exclusive; set one");
      }
      if (classpathResource != null && classLoader == null) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        classLoader = context != null ? context : FileFlagStore.class.getClassLoader();
      }
      return new FileFlagStore(this);
    }
  }
}
