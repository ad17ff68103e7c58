package dev.flags.core.admin.spi;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.admin.StoreUnavailableException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The storage side of a {@link FlagAdmin}: stored definitions as text, each with a version, written
 * by compare-and-set together with an audit entry. A store that can be written implements this and
 * hands it to {@link FlagAdmin#over(FlagRepository)}; everything else — validation, edits that keep
 * what this SDK version does not understand, retries, restore, import — is the admin's, so every
 * store behaves the same.
 *
 * <p>Implementers must guarantee:
 *
 * <ul>
 *   <li><b>Atomic batches.</b> {@link #write(List)} checks every write of the batch before it
 *       changes anything, then applies all of them with their audit entries, or none: a reader
 *       never sees part of a batch, and a failure never leaves part of it applied.
 *   <li><b>Versions only move forward.</b> Every applied write (and every change made to the store
 *       without this SDK that the repository notices, recorded as an audit entry whose actor is
 *       {@link AuditEntry#RAW_EDIT_ACTOR}) gives the key a version greater than any it had; a key
 *       that never existed has version 0, and a deleted key keeps its last version.
 *   <li><b>Audit.</b> Each applied write appends one entry with the stored value before and after
 *       it; entries are ordered, and their ids are unique.
 *   <li><b>Errors.</b> {@link StoreUnavailableException} when the store cannot be reached in time,
 *       saying whether the write may have been applied; {@link ReadOnlyStoreException} when the
 *       store cannot be written at all. Nothing else is thrown for a well-formed call.
 *   <li>Thread-safety: all methods may be called from any thread, concurrently.
 * </ul>
 *
 * <p>For plug-in authors; not needed for basic use.
 */
public interface FlagRepository extends AutoCloseable {

  /** What a write does. */
  enum Operation {
    /** Writes a value for a key that has none. */
    CREATE,
    /** Replaces the value of a key that has one. */
    UPDATE,
    /** Removes the value of a key that has one. */
    DELETE
  }

  /** A version that matches any stored version, in {@link Write#expectedVersion()}. */
  long ANY_VERSION = -1;

  /**
   * A stored definition. The text carries no version: the repository's version is the truth (a
   * {@code "version"} member in it, if any, is ignored). Immutable and thread-safe.
   *
   * @param kind flag or segment
   * @param key its key
   * @param version its version (at least 1 once written)
   * @param value the stored text, as written (JSON, or {@code true}/{@code false} for a flag)
   * @param lastChange the audit entry of the last change, when the repository knows it
   */
  record Stored(
      DefinitionKind kind,
      String key,
      long version,
      String value,
      Optional<AuditEntry> lastChange) {
    public Stored {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(lastChange, "lastChange");
    }
  }

  /**
   * One write of a batch. Immutable and thread-safe.
   *
   * @param kind flag or segment
   * @param key the key
   * @param operation create, update or delete
   * @param expectedVersion the version the caller read, or {@link #ANY_VERSION}; for a {@link
   *     Operation#CREATE}, the key's version while absent ({@link #currentVersion}: 0, or its last
   *     version before it was deleted)
   * @param value the new text; empty for {@link Operation#DELETE}
   * @param action the audit action ({@link AuditEntry#action()}): {@code create}, {@code update},
   *     {@code delete}, {@code restore}…
   * @param actor who writes, for the audit entry
   * @param reason why, for the audit entry; empty when not given
   */
  record Write(
      DefinitionKind kind,
      String key,
      Operation operation,
      long expectedVersion,
      Optional<String> value,
      String action,
      String actor,
      String reason) {
    public Write {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(reason, "reason");
      if (value.isPresent() == (operation == Operation.DELETE)) {
        throw new IllegalArgumentException(
            "value: a " + operation + " " + (value.isPresent() ? "takes no value" : "needs one"));
      }
      if (expectedVersion < ANY_VERSION) {
        throw new IllegalArgumentException(
            "expectedVersion: must be >= -1, got " + expectedVersion);
      }
    }
  }

  /** The outcome of a batch: applied whole, or refused whole because of one conflict. */
  sealed interface Outcome {}

  /**
   * Every write of the batch was applied. Immutable and thread-safe.
   *
   * @param entries the audit entry of each write, in the batch's order (its version is the key's
   *     new version)
   */
  record Applied(List<AuditEntry> entries) implements Outcome {
    public Applied {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Nothing was applied: the first write whose check failed. Immutable and thread-safe.
   *
   * @param index the index of that write in the batch
   * @param why what failed
   * @param currentVersion the key's version now
   * @param lastChange the audit entry of the key's last change, when known (who changed it
   *     meanwhile)
   */
  record Conflict(int index, Why why, long currentVersion, Optional<AuditEntry> lastChange)
      implements Outcome {
    public Conflict {
      Objects.requireNonNull(why, "why");
      Objects.requireNonNull(lastChange, "lastChange");
    }

    /** Why a write's check failed. */
    public enum Why {
      /** A create found a value. */
      EXISTS,
      /** An update or delete found none. */
      MISSING,
      /** The version is not the expected one. */
      VERSION
    }
  }

  /**
   * The stored definition of a key.
   *
   * @throws StoreUnavailableException if the store cannot be reached in time
   */
  Optional<Stored> read(DefinitionKind kind, String key);

  /**
   * The version of a key, present or not: 0 when it never existed, its last version when it was
   * deleted.
   *
   * @throws StoreUnavailableException if the store cannot be reached in time
   */
  long currentVersion(DefinitionKind kind, String key);

  /**
   * Every stored definition of a kind, sorted by key.
   *
   * @throws StoreUnavailableException if the store cannot be reached in time
   */
  List<Stored> readAll(DefinitionKind kind);

  /**
   * Applies a batch atomically (see the class comment): all writes and their audit entries, or
   * none. A batch names each key at most once.
   *
   * @throws StoreUnavailableException if the store cannot be reached in time; {@link
   *     StoreUnavailableException#mayHaveBeenApplied()} says whether the batch may have been
   *     applied
   * @throws ReadOnlyStoreException if the store cannot be written
   */
  Outcome write(List<Write> batch);

  /**
   * The audit entries that match, newest first, at most {@link AuditQuery#limit()}.
   *
   * @throws StoreUnavailableException if the store cannot be reached in time
   */
  List<AuditEntry> audit(AuditQuery query);

  /**
   * One audit entry by its id.
   *
   * @throws StoreUnavailableException if the store cannot be reached in time
   */
  Optional<AuditEntry> auditEntry(String id);

  /**
   * Where the definitions are, for people: {@code file /etc/flags.json}, {@code redis
   * redis://10.0.0.5:6379 prefix feature:}. Never contains a secret.
   */
  String description();

  /** Why this store cannot be written, or empty when it can. */
  default Optional<String> readOnlyReason() {
    return Optional.empty();
  }

  /** Releases the repository's connections or files. Idempotent; does not throw. */
  @Override
  void close();
}
