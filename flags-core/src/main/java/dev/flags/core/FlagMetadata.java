package dev.flags.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What people need to know about a flag; none of it changes evaluation. A flag past its {@code
 * killDate} still evaluates, and is reported as past its kill date ({@link
 * Flags#flagsPastKillDate()}, {@link FlagListener#onPastKillDate}). Immutable and thread-safe.
 *
 * @param description what the flag is for; may be empty
 * @param owner who to ask about it; may be empty
 * @param tags free-form labels
 * @param createdAt when it was created
 * @param killDate when it should be removed from the code
 */
public record FlagMetadata(
    String description,
    String owner,
    List<String> tags,
    Optional<Instant> createdAt,
    Optional<Instant> killDate) {

  /** No description, owner, tags or dates. */
  public static final FlagMetadata EMPTY =
      new FlagMetadata("", "", List.of(), Optional.empty(), Optional.empty());

  public FlagMetadata {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(owner, "owner");
    tags = List.copyOf(tags);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(killDate, "killDate");
  }

  /** Whether the kill date is set and {@code now} is past it. */
  public boolean isPastKillDate(Instant now) {
    return killDate.isPresent() && now.isAfter(killDate.get());
  }
}
