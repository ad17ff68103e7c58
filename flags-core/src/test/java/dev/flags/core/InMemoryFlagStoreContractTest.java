package dev.flags.core;

import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.FlagStoreContractTest;

/** The in-memory store against the store contract; its "source" is the store itself. */
class InMemoryFlagStoreContractTest extends FlagStoreContractTest {

  private InMemoryFlagStore store;

  @Override
  protected FlagStore createStore(FlagSet initial) {
    store = InMemoryFlagStore.of(initial);
    return store;
  }

  @Override
  protected void writeFlag(Flag flag) {
    store.upsert(flag);
  }

  @Override
  protected void removeFlag(String key) {
    store.removeFlag(key);
  }

  @Override
  protected void writeSegment(Segment segment) {
    store.upsert(segment);
  }

  @Override
  protected void removeSegment(String key) {
    store.removeSegment(key);
  }

  @Override
  protected MalformedHandling malformedHandling() {
    return MalformedHandling.NOT_POSSIBLE; // it holds Flag objects, validated when built
  }
}
