package dev.flags.dashboard;

import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The malformed flags a client heard of, for a dashboard built without a {@code FlagsRuntime}
 * (which counts them itself). Thread-safe.
 */
final class MalformedCount {

  private final Set<String> keys = ConcurrentHashMap.newKeySet();

  MalformedCount(Flags flags) {
    flags.addListener(
        new FlagListener() {
          @Override
          public void onMalformedFlag(String flagKey, String problem) {
            keys.add(flagKey);
          }

          @Override
          public void onFlagChanged(String flagKey) {
            if (flags.flag(flagKey).isPresent()) {
              keys.remove(flagKey);
            }
          }
        });
  }

  int count() {
    return keys.size();
  }
}
