package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Rollout;
import dev.flags.core.json.FlagCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command against a real flag file, through the launcher, as a user runs it. */
class FileCommandsIT {

  @TempDir Path tmp;
  Shell sh;
  Path file;

  @BeforeEach
  void setUp() throws Exception {
    sh = new Shell(tmp.resolve("shell"));
    file = sh.write("flags.json", Fixtures.FLAGS);
    sh.with("FLAGCTL_FILE", file.toString());
  }

  private Flag stored(String key) throws Exception {
    FlagSet set = FlagCodec.standard().decodeFlagSet(Files.readAllBytes(file));
    return set.flags().get(key);
  }

  // ---------------------------------------------------------------- reads

  @Test
  void listShowsStateRolloutTargetsRulesOwnerAndMarksPastKillDates() throws Exception {
    Shell.Result r = sh.run("list");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out())
        .contains("KEY", "STATE", "ROLLOUT", "TARGETS", "RULES", "OWNER", "KILL DATE")
        .containsPattern(
            "new_checkout_flow +on +25% md5-percent-compat by tenantId +2 +1 +team-payments"
                + " +2020-06-30 PAST")
        .containsPattern("new_ui_layout +off +- +0 +0")
        .contains("3 flags in file " + file + "; 1 past kill date");
  }

  @Test
  void listFiltersByTagOwnerPastKillDateAndMalformed() throws Exception {
    assertThat(sh.run("list", "--tag", "ui").out())
        .contains("checkout_theme")
        .doesNotContain("new_checkout_flow")
        .contains("1 flag of 3");
    assertThat(sh.run("list", "--owner", "team-payments").out())
        .contains("new_checkout_flow")
        .doesNotContain("checkout_theme");
    assertThat(sh.run("list", "--past-kill-date").out())
        .contains("new_checkout_flow")
        .doesNotContain("new_ui_layout");
    sh.write(
        "flags.json",
        "{\"flags\": {\"a\": true, \"bad\": {\"variations\": [true], \"offVariation\": 3}}}");
    Shell.Result r = sh.run("list", "--malformed");
    assertThat(r.out()).contains("bad", "MALFORMED", "fallthrough").doesNotContain("a    on");
    assertThat(r.out()).contains("1 flag of 2").contains("1 malformed");
  }

  @Test
  void listAsJsonHasTheSummaryOfEveryFlag() throws Exception {
    Shell.Result r = sh.run("list", "--json");
    assertThat(r.code()).isZero();
    var doc = (dev.flags.core.JsonValue.Obj) FlagCodec.standard().parse(r.out());
    assertThat(doc.members()).containsKeys("store", "writable", "readOnlyReason", "flags");
    assertThat(r.out())
        .contains("\"key\": \"new_checkout_flow\"")
        .contains("\"percentage\": 25")
        .contains("\"algorithm\": \"md5-percent-compat\"")
        .contains("\"bucketBy\": \"tenantId\"")
        .contains("\"pastKillDate\": true")
        .contains("\"writable\": true");
  }

  @Test
  void getShowsTheDefinitionReadablyWithItsVersion() throws Exception {
    Shell.Result r = sh.run("get", "new_checkout_flow");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out())
        .startsWith("new_checkout_flow  version 1\n")
        .contains("fallthrough   rollout true 25%, false 75% (md5-percent-compat, by tenantId)")
        .contains("target        true: user-1, user-2")
        .contains("rule 0        de: country in \"DE\" -> variation 1 (true)")
        .contains("salt          checkout-salt")
        .contains("kill date     2020-06-30 (PAST,");
  }

  @Test
  void getPrintsTheStoredDefinitionOrJson() throws Exception {
    Shell.Result def = sh.run("get", "checkout_theme", "--definition");
    assertThat(def.code()).isZero();
    assertThat(FlagCodec.standard().decodeFlag("checkout_theme", def.out()).variations())
        .hasSize(2);
    Shell.Result json = sh.run("get", "checkout_theme", "--json");
    assertThat(json.out())
        .contains(
            "\"key\": \"checkout_theme\"", "\"version\": 1", "\"definition\": {", "\"summary\"");
  }

  @Test
  void anUnknownFlagIsExit1WithTheClosestKey() throws Exception {
    Shell.Result r = sh.run("get", "new_chekout_flow");
    assertThat(r.code()).isEqualTo(Exit.NOT_FOUND);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "flagctl: no flag \"new_chekout_flow\" in file "
                + file
                + " (did you mean \"new_checkout_flow\"?); flagctl list shows the flags there\n");
    Shell.Result kill = sh.run("kill", "nope");
    assertThat(kill.code()).isEqualTo(Exit.NOT_FOUND);
    assertThat(kill.errorLine())
        .isEqualTo(
            "flagctl: no flag \"nope\" in file " + file + "; flagctl list shows the flags there");
    assertThat(sh.read("flags.json")).isEqualTo(Fixtures.FLAGS);
  }

  @Test
  void errorsAreJsonOnStdoutWithJson() throws Exception {
    Shell.Result r = sh.run("get", "nope", "--json");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("\"error\"", "\"code\": 1", "\"kind\": \"not-found\"");
  }

  // ---------------------------------------------------------------- on, off, kill

  @Test
  void killAsksNothingKeepsTheDefinitionAndSaysHowToUndo() throws Exception {
    Shell.Result r = sh.run("kill", "new_checkout_flow", "--reason", "INC-7: card errors");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "new_checkout_flow is off (version 2): everyone gets false, its off variation\n"
                + "undo: flagctl on new_checkout_flow   or   flagctl restore new_checkout_flow"
                + " --to v1\n");
    assertThat(r.err()).isEqualTo("flagctl: no profile: file " + file + " (from FLAGCTL_FILE)\n");
    Flag f = stored("new_checkout_flow");
    assertThat(f.on()).isFalse();
    assertThat(f.targets()).hasSize(1);
    assertThat(f.rules()).hasSize(1);
    Shell.Result on = sh.run("on", "new_checkout_flow");
    assertThat(on.out()).startsWith("new_checkout_flow is on (version 3)");
    assertThat(stored("new_checkout_flow").on()).isTrue();
  }

  @Test
  void offAsksOnATerminalAndNeedsYesElsewhere() throws Exception {
    Shell.Result refused = sh.run("off", "new_checkout_flow");
    assertThat(refused.code()).isEqualTo(Exit.REFUSED);
    assertThat(refused.err())
        .isEqualTo(
            "flagctl: not done: turn new_checkout_flow off: everyone gets false; add --yes to do"
                + " it (or use flagctl kill new_checkout_flow)\n");
    assertThat(sh.read("flags.json")).isEqualTo(Fixtures.FLAGS);
    Shell.Result done = sh.run("off", "new_checkout_flow", "--yes");
    assertThat(done.code()).isZero();
    assertThat(stored("new_checkout_flow").on()).isFalse();
    Shell.Result again = sh.run("kill", "new_checkout_flow");
    assertThat(again.out())
        .isEqualTo("new_checkout_flow is already off (version 2); nothing to change\n");
  }

  // ---------------------------------------------------------------- rollout

  @Test
  void aRampUpPrintsTheShareThatChangesAndKeepsAlgorithmSaltAndBucketBy() throws Exception {
    Shell.Result r = sh.run("rollout", "new_checkout_flow", "40%", "--reason", "canary ok");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "new_checkout_flow: rollout 25% -> 40% (version 2): 15% of users (those its targets"
                + " and rules do not decide) start getting true; md5-percent-compat, salt"
                + " checkout-salt, bucketBy tenantId kept\n");
    Rollout ro = (Rollout) stored("new_checkout_flow").fallthrough();
    assertThat(ro.algorithm().wireName()).isEqualTo("md5-percent-compat");
    assertThat(ro.bucketBy()).hasValue("tenantId");
    assertThat(ro.weights().get(0).variation()).isEqualTo(1);
    assertThat(ro.weights().get(0).weight()).isEqualTo(40_000);
    assertThat(stored("new_checkout_flow").salt()).hasValue("checkout-salt");
  }

  @Test
  void aRampDownIsRefusedWithoutYes() throws Exception {
    Shell.Result r = sh.run("rollout", "new_checkout_flow", "10%");
    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.errorLine())
        .isEqualTo(
            "flagctl: not done: ramping new_checkout_flow down from 25% to 10% takes true away"
                + " from 15% of users (those its targets and rules do not decide); add --yes to do"
                + " it");
    assertThat(sh.read("flags.json")).isEqualTo(Fixtures.FLAGS);
    Shell.Result yes = sh.run("rollout", "new_checkout_flow", "10%", "--yes", "--json");
    assertThat(yes.code()).isZero();
    assertThat(yes.out())
        .contains("\"from\": 25", "\"to\": 10", "\"share\": 15", "\"direction\": \"removes\"");
  }

  @Test
  void aPercentageOver100IsRefusedInOneLine() throws Exception {
    Shell.Result r = sh.run("rollout", "new_checkout_flow", "120%");
    assertThat(r.code()).isEqualTo(Exit.INVALID);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "flagctl: rollout: 120% is not a percentage from 0% to 100%; give one like 25% or"
                + " 12.5%; nothing was written\n");
    assertThat(sh.read("flags.json")).isEqualTo(Fixtures.FLAGS);
    assertThat(sh.run("rollout", "new_checkout_flow", "abc").code()).isEqualTo(Exit.INVALID);
    assertThat(sh.run("rollout", "new_checkout_flow", "12.3456%").errorLine())
        .isEqualTo(
            "flagctl: rollout: 12.3456% is finer than the 0.001% steps a rollout has; round it,"
                + " e.g. 12.346%; nothing was written");
  }

  @Test
  void aRolloutOfAFlagThatIsNotBooleanIsInvalid() throws Exception {
    Shell.Result r = sh.run("rollout", "checkout_theme", "50%");
    assertThat(r.code()).isEqualTo(Exit.INVALID);
    assertThat(r.errorLine())
        .startsWith("flagctl: rollout: flag \"checkout_theme\" is not a boolean flag");
  }

  // ---------------------------------------------------------------- targets

  @Test
  void targetsAreAddedAndRemoved() throws Exception {
    Shell.Result add = sh.run("target", "add", "new_checkout_flow", "carol", "dave");
    assertThat(add.code()).as(add.both()).isZero();
    assertThat(add.out()).isEqualTo("new_checkout_flow (version 2): targets: +carol +dave\n");
    assertThat(stored("new_checkout_flow").targets().get(0).keys())
        .containsExactlyInAnyOrder("user-1", "user-2", "carol", "dave");
    Shell.Result off = sh.run("target", "add", "new_checkout_flow", "--value", "false", "user-1");
    assertThat(off.out()).contains("targets: -user-1", "targets false: +user-1");
    Shell.Result rm = sh.run("target", "remove", "new_checkout_flow", "carol");
    assertThat(rm.out()).isEqualTo("new_checkout_flow (version 4): targets: -carol\n");
    Shell.Result theme = sh.run("target", "add", "checkout_theme", "--variation", "0", "erin");
    assertThat(theme.out()).contains("targets \"light\": +erin");
    assertThat(sh.run("target", "add", "checkout_theme", "erin").errorLine())
        .isEqualTo(
            "flagctl: flag \"checkout_theme\" is not a boolean flag: name the variation with"
                + " --variation N (0 to 1)");
    assertThat(sh.run("target", "add", "checkout_theme", "--variation", "7", "x").code())
        .isEqualTo(Exit.INVALID);
  }

  @Test
  void thousandsOfTargetsFromAFileAreOneAuditedChange() throws Exception {
    String ids =
        "# beta users\n"
            + IntStream.range(0, 5000).mapToObj(i -> "u" + i).collect(Collectors.joining("\n"))
            + "\n\n";
    sh.write("ids.txt", ids);
    Shell.Result r =
        sh.run("target", "add", "new_checkout_flow", "--from-file", "ids.txt", "-m", "beta");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out()).contains("(+4990 more)");
    assertThat(stored("new_checkout_flow").targets().get(0).keys()).hasSize(5002);
    Shell.Result audit = sh.run("audit", "new_checkout_flow", "--json");
    assertThat(audit.out().split("\"id\"", -1)).hasSize(2);
    Shell.Result none = sh.run("target", "add", "new_checkout_flow");
    assertThat(none.code()).isEqualTo(Exit.INVALID);
  }

  // ---------------------------------------------------------------- explain

  @Test
  void explainSaysTheValueTheReasonAndTheRuleOrBucket() throws Exception {
    Shell.Result rule =
        sh.run("explain", "new_checkout_flow", "--user", "u9", "--attr", "country=DE");
    assertThat(rule.code()).as(rule.both()).isZero();
    assertThat(rule.out())
        .isEqualTo(
            "new_checkout_flow for user u9 [country=\"DE\"]: true (variation 1)\n"
                + "reason: RULE_MATCH: rule 0 (de) matched: serves variation 1 (true)\n");
    Shell.Result target = sh.run("explain", "new_checkout_flow", "--user", "user-2");
    assertThat(target.out()).contains("reason: TARGET_MATCH: user-2 is targeted individually");
    Shell.Result bucket =
        sh.run("explain", "new_checkout_flow", "--user", "u9", "--attr", "tenantId=t-1", "--json");
    assertThat(bucket.out())
        .contains("\"reason\": \"FALLTHROUGH\"", "\"bucket\": ", "of 100000 by tenantId falls in");
    Shell.Result missing = sh.run("explain", "new_checkout_flow", "--user", "u9");
    assertThat(missing.out()).contains("the context has no usable tenantId attribute");
    sh.run("kill", "new_checkout_flow");
    assertThat(sh.run("explain", "new_checkout_flow", "--user", "u9").out())
        .contains("reason: OFF: the flag is off: serves variation 0 (false), its off variation");
    assertThat(sh.run("explain", "nope", "--user", "u9").code()).isEqualTo(Exit.NOT_FOUND);
    assertThat(sh.run("explain", "new_checkout_flow").code()).isEqualTo(Exit.INVALID);
  }

  // ---------------------------------------------------------------- audit, restore

  @Test
  void auditShowsWhoWhatWhenAndWhyAndFilters() throws Exception {
    sh.run("rollout", "new_checkout_flow", "30%", "--actor", "bob", "--reason", "canary");
    sh.run("kill", "new_ui_layout");
    sh.run("on", "new_ui_layout", "--reason", "back");
    Shell.Result all = sh.run("audit");
    assertThat(all.code()).as(all.both()).isZero();
    assertThat(all.out())
        .containsPattern("new_checkout_flow +v2 +bob +update +rollout: 25% -> 30% +\"canary\"")
        .containsPattern("new_ui_layout +v2 +alice +update +on: false -> true +\"back\"")
        .contains("2 changes");
    assertThat(sh.run("audit", "--actor", "bob").out()).contains("bob").doesNotContain("alice");
    assertThat(sh.run("audit", "new_ui_layout").out()).doesNotContain("new_checkout_flow");
    assertThat(sh.run("audit", "--since", "1h").out()).contains("2 changes");
    assertThat(sh.run("audit", "--since", "2999-01-01").out()).contains("0 changes");
    assertThat(sh.run("audit", "--json").out()).contains("\"diff\": [\"rollout: 25% -> 30%\"]");
    Shell.Result bad = sh.run("audit", "--since", "yesterday");
    assertThat(bad.code()).isEqualTo(Exit.INVALID);
    assertThat(bad.err())
        .isEqualTo(
            "flagctl: --since: \"yesterday\" is not a time; write a time ago (2h, 7d), a date"
                + " (2026-03-01) or an instant (2026-03-01T10:00:00Z)\n");
  }

  @Test
  void restoreUndoesTheLastChangeOrGoesToAVersionOrAnEntry() throws Exception {
    sh.run("rollout", "new_checkout_flow", "60%");
    sh.run("kill", "new_checkout_flow");
    Shell.Result undo = sh.run("restore", "new_checkout_flow");
    assertThat(undo.code()).as(undo.both()).isZero();
    assertThat(undo.out())
        .isEqualTo(
            "new_checkout_flow restored to version 2, now version 4: on: false -> true\n"
                + "undo: flagctl restore new_checkout_flow --to v3\n");
    Shell.Result v1 = sh.run("restore", "new_checkout_flow", "--to", "v1");
    assertThat(v1.out())
        .startsWith("new_checkout_flow restored to version 1, now version 5: rollout: 60% -> 25%");
    String entry =
        sh.run("audit", "new_checkout_flow", "--json")
            .out()
            .lines()
            .filter(l -> l.contains("\"id\""))
            .reduce((a, b) -> b)
            .orElseThrow()
            .replaceAll(".*\"id\": \"([^\"]+)\".*", "$1");
    Shell.Result byEntry = sh.run("restore", "new_checkout_flow", "--to", entry);
    assertThat(byEntry.out()).contains("restored to entry " + entry);
    assertThat(sh.run("restore", "new_checkout_flow", "--to", "v99").code())
        .isEqualTo(Exit.INVALID);
    assertThat(sh.run("restore", "checkout_theme").errorLine())
        .isEqualTo(
            "flagctl: the audit log has no change of \"checkout_theme\" to undo; name a version"
                + " with --to (flagctl audit checkout_theme lists them)");
  }

  @Test
  void aHandTypedKillSwitchIsARawEditAndRestoreBringsTheDefinitionBack() throws Exception {
    // A change through flagctl records the definition; a hand edit after it is then a raw edit.
    sh.run("rollout", "new_checkout_flow", "30%");
    var doc = (dev.flags.core.JsonValue.Obj) FlagCodec.standard().parse(sh.read("flags.json"));
    var flags =
        new java.util.LinkedHashMap<>(
            ((dev.flags.core.JsonValue.Obj) doc.members().get("flags")).members());
    flags.put("new_checkout_flow", dev.flags.core.JsonValue.FALSE);
    var edited = new java.util.LinkedHashMap<>(doc.members());
    edited.put("flags", new dev.flags.core.JsonValue.Obj(flags));
    sh.write("flags.json", FlagCodec.standard().write(new dev.flags.core.JsonValue.Obj(edited)));
    Shell.Result list = sh.run("list");
    assertThat(list.out()).containsPattern("new_checkout_flow +off \\(raw\\)");
    Shell.Result audit = sh.run("audit", "new_checkout_flow");
    assertThat(audit.out()).contains("unknown (raw edit)", "raw-edit");
    Shell.Result restored = sh.run("restore", "new_checkout_flow");
    assertThat(restored.code()).as(restored.both()).isZero();
    Flag f = stored("new_checkout_flow");
    assertThat(f.on()).isTrue();
    assertThat(f.rules()).hasSize(1);
    assertThat(((Rollout) f.fallthrough()).bucketBy()).hasValue("tenantId");
    assertThat(((Rollout) f.fallthrough()).weights().get(0).weight()).isEqualTo(30_000);
  }

  @Test
  void staleListsFlagsPastTheirKillDate() throws Exception {
    Shell.Result r = sh.run("stale");
    assertThat(r.out())
        .containsPattern("new_checkout_flow +2020-06-30 +\\d+ days ago +team-payments +on")
        .contains("1 flag is past their kill date")
        .doesNotContain("checkout_theme");
    assertThat(sh.run("past-kill-date", "--json").out()).contains("\"key\": \"new_checkout_flow\"");
  }

  // ---------------------------------------------------------------- files

  @Test
  void validateChecksAFileAndSaysWhereItIsWrong() throws Exception {
    Shell.Result ok = sh.run("validate", file.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).isEqualTo(file + " is valid: 3 flags, 1 segment\n");
    sh.write("bad.json", "{\"flags\": {\"a\": {\"variations\": [1], \"offVariation\": 3,");
    Shell.Result bad = sh.run("validate", "bad.json");
    assertThat(bad.code()).isEqualTo(Exit.INVALID);
    assertThat(bad.err())
        .isEqualTo(
            "flagctl: bad.json: flags.a: unexpected end of the document, expected a member name"
                + " (line 1, column 55); fix the file and check it with flagctl validate"
                + " bad.json\n");
    sh.write(
        "rule.json",
        "{\"flags\": {\"a\": {\"variations\": [1], \"offVariation\": 3, \"fallthrough\": {\"variation\": 0}}}}");
    assertThat(sh.run("validate", "rule.json").err())
        .startsWith("flagctl: rule.json: flags.a.offVariation: ");
    assertThat(sh.run("validate", "missing.json").err())
        .isEqualTo("flagctl: missing.json does not exist; check the path\n");
  }

  @Test
  void diffAndImportShowThePlanThenApplyItAllOrNothing() throws Exception {
    sh.write(
        "new.json",
        Fixtures.FLAGS
            .replace("\"new_ui_layout\": false", "\"new_ui_layout\": true, \"beta_banner\": false")
            .replace(
                ",\n    \"checkout_theme\": {\"variations\": [\"light\", \"dark\"], \"offVariation\":"
                    + " 0, \"fallthrough\": {\"variation\": 1}, \"owner\": \"team-web\", \"tags\":"
                    + " [\"ui\"]}",
                ""));
    Shell.Result diff = sh.run("diff", "new.json");
    assertThat(diff.code()).as(diff.both()).isZero();
    assertThat(diff.out())
        .containsPattern("create +flag +beta_banner +created: off")
        .containsPattern("update +flag +new_ui_layout +on: false -> true")
        .contains("1 to create, 1 to update, 0 to delete, 2 unchanged");
    assertThat(sh.run("diff", "new.json", "--prune").out())
        .containsPattern("delete +flag +checkout_theme");
    Shell.Result dry = sh.run("import", "new.json", "--prune");
    assertThat(dry.code()).isEqualTo(Exit.REFUSED);
    assertThat(dry.out()).contains("1 to create, 1 to update, 1 to delete");
    assertThat(dry.errorLine())
        .isEqualTo("flagctl: not imported (that was the dry run): add --yes to apply this plan");
    assertThat(sh.read("flags.json")).isEqualTo(Fixtures.FLAGS);
    Shell.Result applied = sh.run("import", "new.json", "--prune", "--yes", "-m", "release 42");
    assertThat(applied.code()).as(applied.both()).isZero();
    assertThat(applied.out())
        .contains("imported new.json: 3 changes written, each in the audit log");
    FlagSet now = FlagCodec.standard().decodeFlagSet(Files.readAllBytes(file));
    assertThat(now.flags()).containsOnlyKeys("new_checkout_flow", "new_ui_layout", "beta_banner");
    assertThat(sh.run("audit", "--actor", "alice").out()).contains("\"release 42\"");
    assertThat(sh.run("diff", "new.json", "--prune").out())
        .isEqualTo("0 to create, 0 to update, 0 to delete, 4 unchanged\n");
    sh.write("bad.json", "{\"flags\": 3}");
    Shell.Result bad = sh.run("import", "bad.json", "--yes");
    assertThat(bad.code()).isEqualTo(Exit.INVALID);
    assertThat(bad.err()).endsWith("; nothing was written\n");
  }

  @Test
  void exportWritesAFileThatImportsBackUnchanged() throws Exception {
    sh.run("rollout", "new_checkout_flow", "30%");
    Shell.Result r = sh.run("export", "--output", "backup.json");
    assertThat(r.code()).as(r.both()).isZero();
    FlagSet backup = FlagCodec.standard().decodeFlagSet(sh.read("backup.json"));
    assertThat(backup.flags())
        .containsOnlyKeys("new_checkout_flow", "new_ui_layout", "checkout_theme");
    assertThat(backup.segments()).containsOnlyKeys("beta-testers");
    assertThat(sh.run("diff", "backup.json", "--prune").out())
        .isEqualTo("0 to create, 0 to update, 0 to delete, 4 unchanged\n");
    Shell.Result other = sh.run("import", "backup.json", "--yes", "--file", "copy.json");
    assertThat(other.code()).as(other.both()).isZero();
    assertThat(sh.run("get", "new_checkout_flow", "--file", "copy.json").out())
        .contains("rollout true 30%");
  }

  @Test
  void adoptHasNothingToDoForAFlagFile() throws Exception {
    Shell.Result r = sh.run("adopt");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("a flag file needs no adoption");
  }

  // ---------------------------------------------------------------- versions and actors

  @Test
  void aStaleWriteFromAnotherShellIsRefusedWithWhoChangedIt() throws Exception {
    Shell alice = sh;
    Shell bob =
        new Shell(tmp.resolve("bob")).with("FLAGCTL_FILE", file.toString()).with("USER", "bob");
    assertThat(alice.run("get", "new_checkout_flow").out())
        .startsWith("new_checkout_flow  version 1");
    Shell.Result b = bob.run("rollout", "new_checkout_flow", "50%", "--reason", "more canary");
    assertThat(b.code()).as(b.both()).isZero();
    Shell.Result a = alice.run("rollout", "new_checkout_flow", "30%", "--if-version", "1");
    assertThat(a.code()).isEqualTo(Exit.CONFLICT);
    assertThat(a.errorLine())
        .matches(
            "flagctl: flag \"new_checkout_flow\" was changed meanwhile: you read version 1, it is"
                + " now version 2 \\(changed by bob \\d+ s ago: more canary\\); review it and"
                + " retry; nothing was written \\(flagctl get new_checkout_flow shows it; --force"
                + " writes over it\\)");
    assertThat(((Rollout) stored("new_checkout_flow").fallthrough()).weights().get(0).weight())
        .isEqualTo(50_000);
    Shell.Result json = alice.run("kill", "new_checkout_flow", "--if-version", "1", "--json");
    assertThat(json.out()).contains("\"currentVersion\": 2", "\"changedBy\"", "\"actor\": \"bob\"");
    Shell.Result forced = alice.run("rollout", "new_checkout_flow", "30%", "--force", "--yes");
    assertThat(forced.code()).as(forced.both()).isZero();
    assertThat(sh.run("audit", "new_checkout_flow").out())
        .containsPattern("v3 +alice +update +rollout: 50% -> 30%");
    assertThat(alice.run("kill", "new_checkout_flow", "--force", "--if-version", "3").code())
        .isEqualTo(Exit.INVALID);
  }

  @Test
  void theActorIsTheOsUserUnlessGivenAndTheReasonIsAudited() throws Exception {
    sh.run("on", "new_ui_layout");
    sh.with("FLAGCTL_ACTOR", "ops-bot").run("kill", "new_ui_layout");
    sh.without("FLAGCTL_ACTOR");
    sh.run("on", "new_ui_layout", "--actor", "carol", "--reason", "INC-9");
    String audit = sh.run("audit", "new_ui_layout").out();
    assertThat(audit).containsPattern("v4 +carol +update +on: false -> true +\"INC-9\"");
    assertThat(audit).containsPattern("v3 +ops-bot +update");
    assertThat(audit).containsPattern("v2 +alice +update");
  }

  // ---------------------------------------------------------------- bad stores

  @Test
  void aMalformedStoreFileIsRefusedInOneLineAndKept() throws Exception {
    String broken = "{\"flags\": {\"new_ui_layout\": true,\n";
    sh.write("flags.json", broken);
    Shell.Result kill = sh.run("kill", "new_ui_layout");
    assertThat(kill.code()).isEqualTo(Exit.INVALID);
    assertThat(kill.errorLine())
        .isEqualTo(
            "flagctl: "
                + file
                + ": flags: unexpected end of the document, expected a member name (line 2,"
                + " column 1); fix the file by hand first (flagctl validate "
                + file
                + " checks it); nothing was written");
    assertThat(sh.read("flags.json")).isEqualTo(broken);
    Shell.Result list = sh.run("list");
    assertThat(list.code()).isEqualTo(Exit.INVALID);
    assertThat(list.err()).doesNotContain("nothing was written");
  }

  @Test
  void aMissingStoreFileIsUnreachable() throws Exception {
    Shell.Result r = sh.run("list", "--file", "nope.json");
    assertThat(r.code()).isEqualTo(Exit.UNREACHABLE);
    assertThat(r.err())
        .isEqualTo(
            "flagctl: "
                + sh.dir.resolve("nope.json")
                + " does not exist; check --file (flagctl profile show says where each setting"
                + " comes from), or create it with flagctl import FILE\n");
  }

  @Test
  void aFileStoreOnAReadOnlyFileSystemIsRefusedInOneLine() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("source"));
    Files.writeString(source.resolve("flags.json"), Fixtures.FLAGS);
    Path mounted = Files.createDirectories(tmp.resolve("mounted"));
    ReadOnlyMount mount = ReadOnlyMount.bind(source, mounted);
    try {
      Path ro = mounted.resolve("flags.json");
      Shell.Result r = sh.run("kill", "new_checkout_flow", "--file", ro.toString());
      assertThat(r.code()).isEqualTo(Exit.UNREACHABLE);
      assertThat(r.errorLine())
          .isEqualTo(
              "flagctl: "
                  + ro
                  + " is on a read-only file system: edit it where it is deployed from, or use"
                  + " Redis; nothing was written");
      assertThat(sh.run("get", "new_checkout_flow", "--file", ro.toString()).code()).isZero();
    } finally {
      mount.close();
    }
    assertThat(Files.readString(source.resolve("flags.json"))).isEqualTo(Fixtures.FLAGS);
  }
}
