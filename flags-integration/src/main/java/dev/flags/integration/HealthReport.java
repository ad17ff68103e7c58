package dev.flags.integration;

import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The health of the flags, as every framework reports it: {@link #up()} and details under fixed
 * keys. Only an {@code UNAVAILABLE} store with {@code flags.health.fail-on-unavailable=true} is
 * DOWN: a {@code STALE} store, or one that lost its data, still serves the last known flags, so the
 * instance stays UP with the status in the details.
 *
 * <p>Details, in this order: {@value #STATUS} (the store's status: INITIALIZING, OK, STALE,
 * UNAVAILABLE…), {@value #DETAIL} (what the store said about it), {@value #INITIALIZED} (whether
 * the first load came), {@value #STORE} (where the flags are; no secret), {@value #FLAGS} (how many
 * flags are served), {@value #MALFORMED} (how many flags do not read and serve defaults), {@value
 * #PAST_KILL_DATE} (how many flags are past their kill date).
 *
 * <p>Immutable and thread-safe.
 *
 * @param up whether the flags are healthy enough for the application to be UP
 * @param details the details, under the keys above, in that order; values are strings, booleans and
 *     integers
 */
public record HealthReport(boolean up, Map<String, Object> details) {

  /** The store's status, such as {@code OK}. */
  public static final String STATUS = "status";

  /** What the store said with its status; may be empty. */
  public static final String DETAIL = "detail";

  /** Whether the store's first load came. */
  public static final String INITIALIZED = "initialized";

  /** Where the flags are, for people; never a secret. */
  public static final String STORE = "store";

  /** How many flags the client serves. */
  public static final String FLAGS = "flags";

  /** How many flags are stored malformed (they serve callers' defaults). */
  public static final String MALFORMED = "malformed";

  /** How many flags are past their kill date (they still evaluate). */
  public static final String PAST_KILL_DATE = "pastKillDate";

  public HealthReport {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * The health of a client.
   *
   * @param flags the client
   * @param store where its flags are, for people (no secret)
   * @param malformed how many flags the store reported malformed
   * @param failOnUnavailable {@code flags.health.fail-on-unavailable}
   */
  public static HealthReport of(
      Flags flags, String store, int malformed, boolean failOnUnavailable) {
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(store, "store");
    StoreStatus status = flags.status();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(STATUS, status.name());
    details.put(DETAIL, flags.statusDetail());
    details.put(INITIALIZED, flags.isInitialized());
    details.put(STORE, store);
    details.put(FLAGS, flags.allFlags().size());
    details.put(MALFORMED, malformed);
    details.put(PAST_KILL_DATE, flags.flagsPastKillDate().size());
    return new HealthReport(!(status == StoreStatus.UNAVAILABLE && failOnUnavailable), details);
  }

  /** The store's status, as in the details. */
  public String status() {
    Object status = details.get(STATUS);
    return status == null ? "" : (String) status;
  }
}
