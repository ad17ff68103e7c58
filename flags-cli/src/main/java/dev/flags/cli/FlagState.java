package dev.flags.cli;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import java.util.Optional;

/**
 * One stored flag, readable or not. Immutable.
 *
 * @param key the flag key
 * @param version the stored version
 * @param flag the definition, when it reads
 * @param definition the stored JSON (a bare true/false expanded), members this version does not
 *     know included; empty when it does not read
 * @param stored the stored text, as written
 * @param summary its summary
 */
record FlagState(
    String key,
    long version,
    Optional<Flag> flag,
    Optional<JsonValue.Obj> definition,
    String stored,
    Summary summary) {

  /**
   * The readable definition.
   *
   * @throws CliException (conflict) when the stored value does not read
   */
  Flag readable() {
    return flag.orElseThrow(
        () ->
            new CliException(
                Exit.CONFLICT,
                "flag \""
                    + key
                    + "\" is malformed at version "
                    + version
                    + " ("
                    + summary.malformed().orElse("?")
                    + "); restore an earlier version (flagctl restore "
                    + key
                    + ") or import a fixed definition"));
  }
}
