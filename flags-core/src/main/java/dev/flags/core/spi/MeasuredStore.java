package dev.flags.core.spi;

import dev.flags.core.StoreStatus;
import java.util.List;

/**
 * A {@link FlagStore} that tells a monitoring system about itself: its status and its own
 * measurements (for Redis: replica size, reconnects, time since the last sync…). Optional: a store
 * implements it to have meters of its own; the client's meters (evaluations, flag count, status)
 * exist for every store without it. Metrics binders (flags-micrometer) read this interface, never a
 * store's own types, so they stay free of any store's dependencies.
 *
 * <p>Implementers must guarantee:
 *
 * <ul>
 *   <li>every method is thread-safe, returns at once (no network or disk wait) and does not throw;
 *   <li>{@link #measurements()} returns the same measurements on every call, whose values are read
 *       when a monitoring system asks (at each scrape), after {@link FlagStore#close()} too.
 * </ul>
 *
 * <p>For plug-in authors; not needed for basic use.
 */
public interface MeasuredStore {

  /**
   * A short lower-case name of the kind of store ({@code "redis"}), which tells its meters apart
   * from the client's: the {@code source} tag of {@code flags.store.status}.
   */
  String metricsSource();

  /** The store's current status, as it sees it. */
  StoreStatus status();

  /** The store's own measurements; may be empty. */
  List<StoreMeasurement> measurements();
}
