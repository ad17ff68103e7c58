package dev.flags.core.admin;

import java.util.Objects;

/**
 * The earlier state of a flag to restore: the definition it had at a version, or the one an audit
 * entry wrote. Immutable and thread-safe.
 */
public sealed interface RestorePoint {

  /** The definition the flag had at {@code version}. */
  static RestorePoint version(long version) {
    return new Version(version);
  }

  /**
   * The definition written by the audit entry with this id (what it left, not what it replaced).
   */
  static RestorePoint entry(String auditEntryId) {
    return new Entry(auditEntryId);
  }

  /**
   * Reads a restore point as people write it: {@code 12} or {@code v12} is a version; anything else
   * an audit entry id.
   *
   * @throws IllegalArgumentException if {@code text} is blank
   */
  static RestorePoint parse(String text) {
    String t = Objects.requireNonNull(text, "text").strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException(
          "restore point: give a version (12 or v12) or an entry id");
    }
    String digits = t.startsWith("v") || t.startsWith("V") ? t.substring(1) : t;
    if (!digits.isEmpty() && digits.length() <= 18 && digits.chars().allMatch(Character::isDigit)) {
      return version(Long.parseLong(digits));
    }
    return entry(t);
  }

  /**
   * The definition a flag had at a version.
   *
   * @param version at least 1
   */
  record Version(long version) implements RestorePoint {
    public Version {
      if (version < 1) {
        throw new IllegalArgumentException("version: must be >= 1, got " + version);
      }
    }
  }

  /**
   * The definition an audit entry wrote.
   *
   * @param id the entry's id
   */
  record Entry(String id) implements RestorePoint {
    public Entry {
      Objects.requireNonNull(id, "id");
      if (id.isBlank()) {
        throw new IllegalArgumentException("id: must not be blank");
      }
    }
  }
}
