package dev.flags.integration;

import java.util.Locale;

/** The stores {@code flags.store} can choose. Immutable and thread-safe. */
public enum StoreKind {
  /** The flags of {@code flags.static.*}, held in memory; writes last until restart. */
  PROPERTIES,
  /** A JSON flag file, a directory of them, or a classpath resource ({@code flags.file.path}). */
  FILE,
  /** Redis ({@code flags.redis.*}); needs {@code dev.flags:flags-redis} on the classpath. */
  REDIS;

  /** The word {@code flags.store} takes: {@code properties}, {@code file}, {@code redis}. */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
