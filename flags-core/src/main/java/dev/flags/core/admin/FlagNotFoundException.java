package dev.flags.core.admin;

import java.util.NoSuchElementException;
import java.util.Objects;

/** No flag (or segment) with this key is stored. Immutable and thread-safe. */
public class FlagNotFoundException extends NoSuchElementException {

  private final DefinitionKind kind;
  private final String key;

  /**
   * @param kind flag or segment
   * @param key the key not found
   */
  public FlagNotFoundException(DefinitionKind kind, String key) {
    super("no " + kind.name().toLowerCase(java.util.Locale.ROOT) + " \"" + key + "\"");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.key = Objects.requireNonNull(key, "key");
  }

  /** Whether a flag or a segment was not found. */
  public DefinitionKind kind() {
    return kind;
  }

  /** The key not found. */
  public String key() {
    return key;
  }
}
