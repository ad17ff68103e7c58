package dev.flags.integration;

import dev.flags.core.StoreStatus;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;

/** A store the test drives by hand: it delivers what the test tells it to, when told. */
final class ControlledStore implements FlagStore {

  private volatile StoreSink sink;
  volatile boolean closed;

  @Override
  public void start(StoreSink sink) {
    this.sink = sink;
  }

  void load(StoreSnapshot snapshot) {
    sink.replaceAll(snapshot);
    sink.statusChanged(StoreStatus.OK, "loaded");
  }

  void status(StoreStatus status, String detail) {
    sink.statusChanged(status, detail);
  }

  void malformed(String key, String problem) {
    sink.malformedFlag(key, problem);
  }

  StoreSink sink() {
    return sink;
  }

  @Override
  public void close() {
    closed = true;
  }
}
