package dev.flags.core.admin;

import org.jspecify.annotations.Nullable;

/**
 * The store could not be reached in time. {@link #mayHaveBeenApplied()} says whether a write may
 * have been applied anyway (the request was sent, the answer did not come): read the flag before
 * retrying. Immutable and thread-safe.
 */
public class StoreUnavailableException extends RuntimeException {

  private final boolean mayHaveBeenApplied;

  /**
   * @param message what could not be reached, for a human (never a secret)
   * @param mayHaveBeenApplied whether a write may have been applied
   * @param cause the underlying error
   */
  public StoreUnavailableException(
      String message, boolean mayHaveBeenApplied, @Nullable Throwable cause) {
    super(message, cause);
    this.mayHaveBeenApplied = mayHaveBeenApplied;
  }

  /**
   * Whether the write may have been applied: {@code false} when it certainly was not (the store was
   * not reached before sending), {@code true} when it may have been.
   */
  public boolean mayHaveBeenApplied() {
    return mayHaveBeenApplied;
  }
}
