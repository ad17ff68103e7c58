package dev.flags.openfeature;

import dev.flags.core.FlagSet;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A store whose every move the test makes: loads, status changes, malformed flags. It stands for a
 * store whose source is slow or down, which the in-memory store never is.
 */
final class ControlledStore implements FlagStore {
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile StoreSink sink;

  @Override
  public void start(StoreSink sink) {
    this.sink = sink;
    started.countDown();
  }

  private StoreSink sink() {
    try {
      if (!started.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the client never started the store");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return sink;
  }

  void load(FlagSet flags) {
    sink().replaceAll(StoreSnapshot.of(flags), StoreStatus.OK, "loaded by the test");
  }

  void status(StoreStatus status, String detail) {
    sink().statusChanged(status, detail);
  }

  void malformed(FlagSet valid, String key, String problem) {
    sink()
        .replaceAll(
            new StoreSnapshot(valid.flags(), valid.segments(), Map.of(key, problem)),
            StoreStatus.OK,
            "loaded by the test");
  }

  void malformedLater(String key, String problem) {
    sink().malformedFlag(key, problem);
  }

  @Override
  public void close() {}
}
