package dev.flags.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The loop of the file store's one thread: waits for file system events (debounced) and for the
 * poll interval, and calls back. Events say "something changed in the directory" and nothing more:
 * the callback re-reads and compares contents, which is what makes atomic renames, editors' backup
 * dances and Kubernetes' symlink swaps all work the same way.
 *
 * <p>Not thread-safe, except {@link #stop()}.
 */
final class FileWatcher implements Runnable {

  /** What the loop calls, always on its own thread. */
  interface Callbacks {
    /** Once, first. */
    void load();

    /** The directory changed and then stayed quiet for the debounce time. */
    void changed();

    /**
     * The poll interval passed: returns whether the files look changed, and then {@link #changed()}
     * follows after the debounce time, as for an event.
     */
    boolean poll();
  }

  private static final System.Logger LOG = System.getLogger(FileFlagStore.class.getName());

  private final FileSystem fileSystem;
  private final Supplier<Optional<Path>> directory;
  private final boolean watch;
  private final long pollNanos;
  private final long debounceNanos;
  private final Callbacks callbacks;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile @Nullable WatchService watchService; // null: no watching here
  private @Nullable WatchKey key; // null while nothing is registered
  private @Nullable Path registered;

  FileWatcher(
      FileSystem fileSystem,
      Supplier<Optional<Path>> directory,
      boolean watch,
      Duration poll,
      Duration debounce,
      Callbacks callbacks) {
    this.fileSystem = fileSystem;
    this.directory = directory;
    this.watch = watch;
    this.pollNanos = poll.toNanos();
    this.debounceNanos = debounce.toNanos();
    this.callbacks = callbacks;
  }

  @Override
  public void run() {
    try {
      if (watch) {
        openWatchService();
        register();
      }
      safely(callbacks::load);
      loop();
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // stop() was called.
    } finally {
      closeWatchService();
    }
  }

  /** Ends the loop; callable from any thread, idempotent. */
  void stop() {
    stopped.countDown();
    closeWatchService();
  }

  private boolean isStopped() {
    return stopped.getCount() == 0;
  }

  private void loop() throws InterruptedException {
    long nextPoll = System.nanoTime() + pollNanos;
    long quietAt = 0; // when a burst of events is over; 0 = no burst pending
    boolean pending = false;
    while (!isStopped()) {
      long now = System.nanoTime();
      if (pending && now - quietAt >= 0) {
        pending = false;
        safely(callbacks::changed);
        continue;
      }
      if (now - nextPoll >= 0) {
        nextPoll = now + pollNanos;
        if (watch) {
          register(); // the directory may have appeared, or been deleted and created again
        }
        if (safelyAsk(callbacks::poll) && !pending) {
          pending = true;
          quietAt = System.nanoTime() + debounceNanos;
        }
        continue;
      }
      long wait = pending ? Math.min(quietAt - now, nextPoll - now) : nextPoll - now;
      WatchService service = watchService;
      if (service == null) {
        stopped.await(wait, TimeUnit.NANOSECONDS);
        continue;
      }
      WatchKey signalled = service.poll(wait, TimeUnit.NANOSECONDS);
      if (signalled != null) {
        drain(signalled);
        for (WatchKey more = service.poll(); more != null; more = service.poll()) {
          drain(more);
        }
        pending = true;
        quietAt = System.nanoTime() + debounceNanos;
      }
    }
  }

  /**
   * A bug or an odd file system (a security manager, a failing provider) must not end the thread:
   * the flags would then silently never change again.
   */
  private static void safely(Runnable callback) {
    safelyAsk(
        () -> {
          callback.run();
          return true;
        });
  }

  private static boolean safelyAsk(java.util.function.BooleanSupplier callback) {
    try {
      return callback.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.log(
          Level.ERROR, "Reading the flag files failed; trying again at the next change or poll", e);
      return false;
    }
  }

  private void drain(WatchKey signalled) {
    signalled.pollEvents(); // any event in the directory means "look again"; the reader compares
    if (!signalled.reset() && signalled == key) {
      // The directory is gone; the next poll registers it again when it is back.
      key = null;
      registered = null;
    }
  }

  private void openWatchService() {
    try {
      watchService = fileSystem.newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(Level.INFO, "No file watching here ({0}); polling only", e.toString());
    }
  }

  private void register() {
    WatchService service = watchService;
    if (service == null) {
      return;
    }
    Optional<Path> wanted = directory.get();
    if (wanted.isPresent() && wanted.get().equals(registered) && key != null && key.isValid()) {
      return;
    }
    if (key != null) {
      key.cancel();
      key = null;
      registered = null;
    }
    if (wanted.isEmpty()) {
      return;
    }
    try {
      key =
          wanted
              .get()
              .register(
                  service,
                  StandardWatchEventKinds.ENTRY_CREATE,
                  StandardWatchEventKinds.ENTRY_MODIFY,
                  StandardWatchEventKinds.ENTRY_DELETE);
      registered = wanted.get();
    } catch (IOException | RuntimeException e) {
      if (e instanceof ClosedWatchServiceException closing) {
        throw closing;
      }
      LOG.log(Level.DEBUG, "Cannot watch {0} ({1}); polling", wanted.get(), e.toString());
    }
  }

  private void closeWatchService() {
    WatchService service = watchService;
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "Closing the watch service failed: {0}", e.toString());
      }
    }
  }
}
