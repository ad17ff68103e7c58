package dev.flags.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.BiFunction;

/**
 * Decodes the batches of a first load on a thread of its own while the worker fetches the next
 * ones. In a fresh JVM, fetching and decoding 10,000 flags each take over 100 ms, and the fetch
 * spends much of its time waiting on Redis: done one after the other, they add up.
 *
 * <p>One instance serves one load and is then closed. Batches are submitted by one thread, the
 * worker, which also collects the results.
 */
final class BatchDecoder implements AutoCloseable {

  private final BiFunction<String, String, CacheEntry> parse;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "flags-redis-decoder");
            t.setDaemon(true);
            return t;
          });
  private final List<FutureTask<Map<String, CacheEntry>>> pending = new ArrayList<>();

  BatchDecoder(BiFunction<String, String, CacheEntry> parse) {
    this.parse = parse;
  }

  /** Queues the decoding of {@code batch} (key → stored value). */
  void submit(Map<String, String> batch) {
    FutureTask<Map<String, CacheEntry>> task =
        new FutureTask<>(
            () -> {
              Map<String, CacheEntry> decoded = new HashMap<>(batch.size() * 2);
              batch.forEach((key, raw) -> decoded.put(key, parse.apply(key, raw)));
              return decoded;
            });
    pending.add(task);
    thread.execute(task);
  }

  /**
   * Returns the entries of every batch submitted. The caller, done fetching, decodes the batches
   * not yet begun itself, from the last one back, while the decoding thread goes on from the first:
   * a task runs once, on whichever thread takes it first.
   */
  Map<String, CacheEntry> results() {
    for (int i = pending.size() - 1; i >= 0 && !pending.get(i).isDone(); i--) {
      pending.get(i).run(); // returns at once if the decoding thread has begun it
    }
    Map<String, CacheEntry> all = new HashMap<>();
    try {
      for (Future<Map<String, CacheEntry>> f : pending) {
        all.putAll(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding the first load", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
    return all;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
