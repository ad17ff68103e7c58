package dev.flags.openfeature;

import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the events an OpenFeature API delivers to its handlers, in order. */
final class EventRecorder {
  record Event(ProviderEvent type, EventDetails details, long receivedNanos) {
    boolean names(String flagKey) {
      return type == ProviderEvent.PROVIDER_CONFIGURATION_CHANGED
          && details.getFlagsChanged() != null
          && details.getFlagsChanged().contains(flagKey);
    }
  }

  private final List<Event> events = new CopyOnWriteArrayList<>();

  EventRecorder(OpenFeatureAPI api) {
    for (ProviderEvent type : ProviderEvent.values()) {
      api.on(type, d -> events.add(new Event(type, d, System.nanoTime())));
    }
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  boolean has(ProviderEvent type) {
    return events.stream().anyMatch(e -> e.type() == type);
  }

  boolean changed(String flagKey) {
    return events.stream().anyMatch(e -> e.names(flagKey));
  }

  /** Whether a configuration change naming {@code flagKey} arrived after {@code nanos}. */
  boolean changedSince(String flagKey, long nanos) {
    return events.stream().anyMatch(e -> e.names(flagKey) && e.receivedNanos() - nanos > 0);
  }

  void clear() {
    events.clear();
  }
}
