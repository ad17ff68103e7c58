package dev.flags.micronaut;

import dev.flags.core.Flag;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.spi.FlagStore;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The endpoint's writes, to the store in use: the properties store changes in memory (until
 * restart), Redis through {@code RedisFlagAdmin} (audited, seen by every instance), the file store
 * is read-only here (edit the file).
 */
@Singleton
@Requires(beans = FlagStore.class)
final class FlagWrites {

  sealed interface Change permits SetOn, SetRollout, AddTargets {}

  record SetOn(boolean on) implements Change {}

  record SetRollout(double percent) implements Change {}

  record AddTargets(int variation, List<String> keys) implements Change {}

  private final FlagStore store;
  private final BeanContext beanContext;

  FlagWrites(FlagStore store, BeanContext beanContext) {
    this.store = store;
    this.beanContext = beanContext;
  }

  Flag apply(String flagKey, Change change, String actor, String reason) {
    try {
      if (store instanceof InMemoryFlagStore memory) {
        return inMemory(memory, flagKey, change);
      }
      if (store.getClass().getName().equals(RedisStores.STORE_CLASS_NAME)) {
        return RedisWrites.apply(beanContext, flagKey, change, actor, reason);
      }
    } catch (IllegalArgumentException e) { // FlagValidationException included
      throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    throw new HttpStatusException(
        HttpStatus.CONFLICT,
        "the "
            + store.getClass().getSimpleName()
            + " store cannot be changed here; edit its source");
  }

  private static Flag inMemory(InMemoryFlagStore memory, String flagKey, Change change) {
    synchronized (memory) {
      Optional<Flag> current =
          memory.flags().stream().filter(f -> f.key().equals(flagKey)).findFirst();
      Flag flag =
          current.orElseThrow(
              () -> new HttpStatusException(HttpStatus.NOT_FOUND, "no flag \"" + flagKey + "\""));
      Flag updated = modify(change).apply(flag).toBuilder().version(flag.version() + 1).build();
      memory.upsert(updated);
      return updated;
    }
  }

  static UnaryOperator<Flag> modify(Change change) {
    return flag -> {
      if (change instanceof SetOn s) {
        return flag.toBuilder().on(s.on()).build();
      } else if (change instanceof SetRollout r) {
        return flag.toBuilder().on(true).percentageRollout(r.percent()).build();
      }
      AddTargets t = (AddTargets) change;
      return flag.toBuilder().target(t.variation(), t.keys()).build();
    };
  }
}
