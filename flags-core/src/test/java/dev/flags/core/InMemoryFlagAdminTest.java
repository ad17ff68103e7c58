package dev.flags.core;

import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagAdminContractTest;

/** The shared admin contract, on the in-memory store. */
class InMemoryFlagAdminTest extends FlagAdminContractTest {

  private InMemoryFlagStore store;

  @Override
  protected FlagAdmin createAdmin() {
    store = InMemoryFlagStore.empty();
    return store.admin();
  }

  @Override
  protected void writeRaw(String flagKey, String value) {
    store.putRaw(flagKey, value);
  }
}
