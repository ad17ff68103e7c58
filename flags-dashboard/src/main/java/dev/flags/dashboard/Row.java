package dev.flags.dashboard;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.FlagRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One flag as a listing shows it, with every text already written: the all-flags table's row and
 * the live update that refreshes it. Immutable.
 */
record Row(
    String key,
    long version,
    Optional<Boolean> on,
    String rollout,
    String owner,
    String description,
    List<String> tags,
    Optional<Instant> killDate,
    boolean pastKillDate,
    Optional<String> malformed,
    Optional<AuditEntry> lastChange,
    boolean killedByRawEdit) {

  static Row of(FlagRecord r, Instant now) {
    Optional<Flag> f = r.flag();
    return new Row(
        r.key(),
        r.version(),
        f.map(Flag::on),
        f.map(Readable::rolloutColumn).orElse("—"),
        f.map(x -> x.metadata().owner()).orElse(""),
        f.map(x -> x.metadata().description()).orElse(""),
        f.map(x -> x.metadata().tags()).orElse(List.of()),
        f.flatMap(x -> x.metadata().killDate()),
        f.map(x -> x.metadata().isPastKillDate(now)).orElse(false),
        r.problem(),
        r.lastChange(),
        r.killedByRawEdit());
  }

  /** A row from what the client serves, when the store does not answer: no last change. */
  static Row of(Flag f, Instant now) {
    return new Row(
        f.key(),
        f.version(),
        Optional.of(f.on()),
        Readable.rolloutColumn(f),
        f.metadata().owner(),
        f.metadata().description(),
        f.metadata().tags(),
        f.metadata().killDate(),
        f.metadata().isPastKillDate(now),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  String state() {
    return malformed.isPresent() ? "Malformed" : on.orElse(false) ? "On" : "Off";
  }

  String stateClass() {
    return malformed.isPresent() ? "bad" : on.orElse(false) ? "on" : "off";
  }

  String killDateText() {
    return killDate.map(Readable::date).orElse("—");
  }

  String lastChangeText(Instant now) {
    return lastChange.map(e -> e.actor() + " · " + Readable.ago(e.time(), now)).orElse("—");
  }

  /** The live update of this row, as JSON members (texts as shown). */
  Map<String, JsonValue> json(Instant now) {
    Map<String, JsonValue> m = new LinkedHashMap<>();
    m.put("key", JsonValue.of(key));
    m.put("version", JsonValue.of(version));
    m.put("deleted", JsonValue.FALSE);
    m.put("state", JsonValue.of(state()));
    m.put("stateClass", JsonValue.of(stateClass()));
    m.put("rollout", JsonValue.of(rollout));
    m.put("owner", JsonValue.of(owner));
    m.put("killDate", JsonValue.of(killDateText()));
    m.put("past", JsonValue.of(pastKillDate));
    m.put("malformed", JsonValue.of(malformed.isPresent()));
    m.put("lastChange", JsonValue.of(lastChangeText(now)));
    m.put("actor", JsonValue.of(lastChange.map(AuditEntry::actor).orElse("")));
    m.put("reason", JsonValue.of(lastChange.map(AuditEntry::reason).orElse("")));
    return m;
  }
}
