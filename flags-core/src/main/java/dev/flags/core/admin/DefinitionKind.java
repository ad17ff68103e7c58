package dev.flags.core.admin;

/** The kinds of stored definitions; each kind has its own keys. */
public enum DefinitionKind {
  /** A flag: {@code docs/flag-format.md}, or a bare {@code true}/{@code false}. */
  FLAG,
  /** A segment. */
  SEGMENT
}
