package dev.flags.core.admin;

import dev.flags.core.InMemoryFlagStore;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterProperty;

/** {@link RampProperties} through the in-memory store's admin. */
@PropertyDefaults(tries = 60)
class InMemoryRampProperties extends RampProperties {

  private final FlagAdmin admin = InMemoryFlagStore.empty().admin();

  @Override
  protected FlagAdmin admin() {
    return admin;
  }

  @AfterProperty
  void closeAdmin() {
    admin.close();
  }
}
