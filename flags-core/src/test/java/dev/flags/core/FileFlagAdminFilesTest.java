package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagConflictException;
import dev.flags.core.admin.FlagRecord;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.admin.RestorePoint;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.json.FlagCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the file admin does: formatting, the audit file, locks, read-only files, crashes. */
class FileFlagAdminFilesTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Change ALICE = Change.by("alice").because("PAY-12");
  private static final Change BOB = Change.by("bob");
  private static final EvaluationContext USER = EvaluationContext.of("user-1");

  @TempDir Path dir;

  static Flag rich(String key) {
    return Flag.builder(key)
        .rule(Rule.when(Clause.in("country", "DE", "FR")).serve(true))
        .target(true, "vip-1")
        .fallthroughRollout(Rollout.percentage(10))
        .owner("team-payments")
        .build();
  }

  private Path file(String json) throws IOException {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json);
    return file;
  }

  // ------------------------------------------------------------ formatting

  @Test
  void theFileIsWrittenInACanonicalPrettyFormWithBareSwitches() throws Exception {
    Path file = file("{\"flags\": {}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.create(Flag.simple("banner", true), ALICE);
      admin.create(rich("checkout"), ALICE);
    }

    assertThat(Files.readString(file))
        .isEqualTo(
            """
            {
              "flags": {
                "banner": true,
                "checkout": {
                  "key": "checkout",
                  "version": 1,
                  "on": true,
                  "fallthrough": {
                    "rollout": {
                      "weights": [
                        {"variation": 1, "weight": 10000},
                        {"variation": 0, "weight": 90000}
                      ]
                    }
                  },
                  "targets": [
                    {
                      "variation": 1,
                      "values": ["vip-1"]
                    }
                  ],
                  "rules": [
                    {
                      "clauses": [
                        {
                          "attribute": "country",
                          "op": "in",
                          "values": ["DE", "FR"]
                        }
                      ],
                      "variation": 1
                    }
                  ],
                  "owner": "team-payments"
                }
              }
            }
            """);
    assertThat(FlagCodec.standard().decodeFlagSet(Files.readString(file)).flags())
        .containsKeys("banner", "checkout");
  }

  @Test
  void anEditChangesOnlyTheLinesOfTheFlagItTouches() throws Exception {
    Path file = file("{\"flags\": {}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.create(rich("alpha"), ALICE);
      admin.create(rich("checkout"), ALICE);
      admin.create(Flag.simple("banner", true), ALICE);
      admin.create(rich("zulu"), ALICE);
      List<String> before = Files.readAllLines(file);

      admin.setOn("checkout", false, BOB);
      admin.setRolloutPercentage("checkout", 25, BOB);
      admin.addTargets("checkout", true, List.of("vip-2"), BOB);
      List<String> after = Files.readAllLines(file);

      Diff diff = Diff.of(before, after);
      int start = after.indexOf("    \"checkout\": {");
      int end = start + after.subList(start, after.size()).indexOf("    },");
      assertThat(diff.firstChanged()).isGreaterThan(start);
      assertThat(diff.lastChangedAfter()).isLessThan(end);
      assertThat(before.subList(0, start)).isEqualTo(after.subList(0, start));
      assertThat(before.subList(before.size() - (after.size() - end), before.size()))
          .isEqualTo(after.subList(end, after.size()));

      admin.setOn("banner", false, BOB);
      assertThat(Diff.of(after, Files.readAllLines(file)).changedLinesAfter())
          .containsExactly("    \"banner\": false,");
    }
  }

  @Test
  void aNewFlagIsAppendedAndTheFileOrderAndOtherMembersAreKept() throws Exception {
    Path file =
        file(
            "{\"$schema\": \"flag-schema.json\", \"flags\": {\"zulu\": true, \"alpha\": {\"on\":"
                + " false, \"plan\": {\"steps\": [1, 5]}}}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.create(Flag.simple("mike", false), ALICE);
    }

    assertThat(Files.readString(file))
        .isEqualTo(
            """
            {
              "$schema": "flag-schema.json",
              "flags": {
                "zulu": true,
                "alpha": {
                  "on": false,
                  "plan": {
                    "steps": [1, 5]
                  }
                },
                "mike": false
              }
            }
            """);
  }

  @Test
  void segmentsAreWrittenInTheirOwnMemberAfterTheFlags() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.putSegment(Segment.builder("beta").include("u1", "u2").build(), ALICE);
    }

    assertThat(Files.readString(file))
        .isEqualTo(
            """
            {
              "flags": {
                "banner": true
              },
              "segments": {
                "beta": {
                  "key": "beta",
                  "version": 1,
                  "included": ["u1", "u2"]
                }
              }
            }
            """);
  }

  @Test
  void aFileThatDoesNotExistIsCreatedByTheFirstWrite() throws Exception {
    Path file = dir.resolve("new.json");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      assertThat(admin.list()).isEmpty();
      assertThat(admin.readOnlyReason()).isEmpty();
      admin.create(Flag.simple("banner", true), ALICE);
    }
    assertThat(Files.readString(file))
        .isEqualTo("{\n  \"flags\": {\n    \"banner\": true\n  }\n}\n");
  }

  @Test
  void theRewrittenFileKeepsItsPermissions() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true}}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.setOn("banner", false, ALICE);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(audit(file))))
        .isEqualTo("rw-r-----");
  }

  @Test
  void aSymlinkedFileIsWrittenWhereItPointsAndTheLinkStays() throws Exception {
    Path real = Files.createDirectories(dir.resolve("releases/1")).resolve("flags.json");
    Files.writeString(real, "{\"flags\": {\"banner\": true}}");
    Path link = Files.createSymbolicLink(dir.resolve("flags.json"), real);
    try (FlagAdmin admin = FileFlagAdmin.builder(link).build()) {
      admin.setOn("banner", false, ALICE);
    }
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).contains("\"banner\": false");
    assertThat(real.resolveSibling("flags.json.audit.jsonl")).exists();
  }

  // ------------------------------------------------------------ the audit file and versions

  @Test
  void theAuditFileHasOneJsonLinePerChangeWithOrderedUniqueIds() throws Exception {
    Path file = file("{\"flags\": {}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.create(Flag.simple("banner", true), ALICE);
      admin.setOn("banner", false, BOB.because("too loud"));
      admin.delete("banner", ALICE);
    }

    List<String> lines = Files.readAllLines(audit(file));
    assertThat(lines).hasSize(3);
    FileAuditLines codec = new FileAuditLines(FlagCodec.standard());
    List<AuditEntry> entries = lines.stream().map(codec::decode).toList();
    assertThat(entries)
        .extracting(AuditEntry::action)
        .containsExactly("create", "update", "delete");
    assertThat(entries).extracting(AuditEntry::version).containsExactly(1L, 2L, 3L);
    assertThat(entries.get(1).reason()).isEqualTo("too loud");
    assertThat(entries.get(1).before()).contains("true");
    assertThat(entries.get(1).after()).contains("false");
    assertThat(entries).extracting(AuditEntry::id).doesNotHaveDuplicates();
    for (int i = 1; i < entries.size(); i++) {
      assertThat(FileAuditLines.compareIds(entries.get(i - 1).id(), entries.get(i).id()))
          .isNegative();
    }
    assertThat(lines.get(1))
        .startsWith("{\"id\":\"")
        .contains("\"kind\":\"flag\",\"key\":\"banner\",\"version\":2,\"action\":\"update\"")
        .contains(
            "\"actor\":\"bob\",\"reason\":\"too loud\",\"before\":\"true\",\"after\":\"false\"}");
  }

  @Test
  void versionsAndHistoryComeBackWithANewAdmin() throws Exception {
    Path file = file("{\"flags\": {}}");
    String firstEntry;
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.create(rich("checkout"), ALICE);
      admin.setOn("checkout", false, BOB);
      firstEntry = admin.audit(AuditQuery.flag("checkout")).get(1).id();
    }

    try (FlagAdmin again = FileFlagAdmin.builder(file).build()) {
      assertThat(again.get("checkout").orElseThrow().version()).isEqualTo(2);
      assertThat(again.find("checkout").orElseThrow().lastChange())
          .map(AuditEntry::actor)
          .contains("bob");
      assertThat(again.auditEntry(firstEntry)).isPresent();
      assertThat(again.restore("checkout", RestorePoint.version(1), ALICE).version()).isEqualTo(3);
    }
  }

  @Test
  void aFlagWithNoHistoryHasTheVersionInItsJsonOrOne() throws Exception {
    Path file =
        file("{\"flags\": {\"banner\": true, \"checkout\": {\"version\": 7, \"on\": false}}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      assertThat(admin.get("banner").orElseThrow().version()).isEqualTo(1);
      assertThat(admin.get("checkout").orElseThrow().version()).isEqualTo(7);
      assertThat(admin.setOn("checkout", true, ALICE).version()).isEqualTo(8);
      assertThat(admin.audit(AuditQuery.ALL))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.before()).contains("{\"version\":7,\"on\":false}");
                assertThat(e.version()).isEqualTo(8);
              });
    }
  }

  @Test
  void aHandEditIsRecordedInTheAuditFileAsARawEdit() throws Exception {
    Path file = file("{\"flags\": {}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.create(rich("checkout"), ALICE);
      FileFlagAdminTest.editByHand(file, "checkout", "false"); // vi, a deploy
      FileFlagAdminTest.editByHand(file, "checkout", "false"); // saved again unchanged: nothing

      assertThat(admin.find("checkout").orElseThrow().killedByRawEdit()).isTrue();
    }

    List<String> lines = Files.readAllLines(audit(file));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .contains("\"version\":2,\"action\":\"raw-edit\",\"actor\":\"unknown (raw edit)\"")
        .contains("\"after\":\"false\"");
    try (FlagAdmin other = FileFlagAdmin.builder(file).build()) {
      assertThat(other.audit(AuditQuery.flag("checkout"))).hasSize(2);
      assertThat(other.restore("checkout", RestorePoint.version(1), BOB).flag().rules()).hasSize(1);
    }
  }

  @Test
  void aFlagRemovedOrAddedBackByHandIsARawEdit() throws Exception {
    Path file = file("{\"flags\": {}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.create(Flag.simple("banner", true), ALICE);
      admin.delete("banner", ALICE);
      FileFlagAdminTest.editByHand(file, "banner", "false");

      FlagRecord back = admin.find("banner").orElseThrow();
      assertThat(back.version()).isEqualTo(3);
      assertThat(back.lastChange()).map(AuditEntry::isRawEdit).contains(true);
      assertThat(back.lastChange().orElseThrow().before()).isEmpty();

      Files.writeString(file, "{\"flags\": {}}");
      assertThat(admin.find("banner")).isEmpty();
      assertThat(admin.audit(AuditQuery.flag("banner")).get(0).after()).isEmpty();
      assertThat(admin.create(Flag.simple("banner", true), BOB).version()).isEqualTo(5);
    }
  }

  // ------------------------------------------------------------ other writers

  @Test
  void twoAdminsOfTheSameFileConflictNamingWhoWroteFirst() throws Exception {
    Path file = file("{\"flags\": {\"checkout\": true}}");
    try (FlagAdmin first = FileFlagAdmin.builder(file).build();
        FlagAdmin second = FileFlagAdmin.builder(file).build()) {
      assertThat(first.get("checkout").orElseThrow().version()).isEqualTo(1);
      assertThat(second.get("checkout").orElseThrow().version()).isEqualTo(1);

      first.setOn("checkout", false, Change.by("carol").because("INC-7").ifVersion(1));

      assertThatThrownBy(() -> second.setOn("checkout", true, BOB.ifVersion(1)))
          .isInstanceOfSatisfying(
              FlagConflictException.class, e -> assertThat(e.currentVersion()).isEqualTo(2))
          .hasMessageContaining("changed by carol")
          .hasMessageContaining("INC-7");
      assertThat(second.get("checkout").orElseThrow().flag().on()).isFalse();
    }
  }

  @Test
  void anotherProcessSeesAndConflictsWithThisOnesWrites() throws Exception {
    Path file = file("{\"flags\": {\"checkout\": true}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      assertThat(admin.get("checkout").orElseThrow().version()).isEqualTo(1);

      String out =
          FileAdminProcess.finish(
              FileAdminProcess.start("set-on", file.toString(), "checkout", "false", "carol", "1"));
      assertThat(out).isEqualTo("applied");

      assertThatThrownBy(() -> admin.setOn("checkout", true, BOB.ifVersion(1)))
          .isInstanceOf(FlagConflictException.class)
          .hasMessageContaining("changed by carol");
      admin.setOn("checkout", true, BOB.ifVersion(2));

      String late =
          FileAdminProcess.finish(
              FileAdminProcess.start("set-on", file.toString(), "checkout", "false", "dave", "2"));
      assertThat(late).startsWith("conflict: ").contains("changed by bob");
    }
  }

  @Test
  void writersInSeveralProcessesLoseNoWrite() throws Exception {
    Path file = file("{\"flags\": {}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.create(Flag.simple("checkout", true), ALICE);
      Process a = FileAdminProcess.start("add-targets", file.toString(), "proc-a", "15", "a-");
      Process b = FileAdminProcess.start("add-targets", file.toString(), "proc-b", "15", "b-");
      for (int i = 0; i < 15; i++) {
        admin.addTargets("checkout", true, List.of("main-" + i), BOB);
      }
      assertThat(FileAdminProcess.finish(a)).isEqualTo("done");
      assertThat(FileAdminProcess.finish(b)).isEqualTo("done");

      Flag f = admin.get("checkout").orElseThrow().flag();
      assertThat(f.targets().get(0).keys()).hasSize(45);
      assertThat(admin.get("checkout").orElseThrow().version()).isEqualTo(46);
      List<AuditEntry> entries = admin.audit(AuditQuery.flag("checkout"));
      assertThat(entries).hasSize(46);
      assertThat(entries).extracting(AuditEntry::version).doesNotHaveDuplicates();
    }
  }

  @Test
  void aWriteWaitsForTheLockOfAnotherProcessAndGivesUpAfterTheTimeout() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true}}");
    Process holder = FileAdminProcess.start("hold-lock", file + ".lock");
    try {
      assertThat(
              new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          holder.getInputStream(), StandardCharsets.UTF_8))
                  .readLine())
          .isEqualTo("locked");
      try (FlagAdmin admin =
          FileFlagAdmin.builder(file).lockTimeout(Duration.ofMillis(300)).build()) {
        assertThatThrownBy(() -> admin.setOn("banner", false, ALICE))
            .isInstanceOfSatisfying(
                StoreUnavailableException.class, e -> assertThat(e.mayHaveBeenApplied()).isFalse())
            .hasMessageContaining(file + ".lock")
            .hasMessageContaining("nothing was written");
        assertThat(Files.readString(file)).contains("\"banner\": true");

        holder.getOutputStream().close(); // the other process lets go
        assertThat(holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(admin.setOn("banner", false, ALICE).flag().on()).isFalse();
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void anApplicationWatchingTheFileSeesEveryWrite() throws Exception {
    Path file = file("{\"flags\": {}}");
    FileFlagStore store =
        FileFlagStore.builder().path(file).pollInterval(Duration.ofMillis(50)).build();
    try (Flags flags = Flags.builder().store(store).build();
        FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      assertThat(flags.awaitInitialization(TIMEOUT)).isTrue();

      admin.create(Flag.simple("checkout", true), ALICE);
      await().atMost(TIMEOUT).until(() -> flags.isEnabled("checkout", USER));

      admin.setOn("checkout", false, BOB);
      await().atMost(TIMEOUT).until(() -> !flags.isEnabled("checkout", USER));

      admin.setOn("checkout", true, BOB);
      admin.setRolloutPercentage("checkout", 0, BOB);
      admin.addTargets("checkout", true, List.of("user-1"), BOB);
      await().atMost(TIMEOUT).until(() -> flags.isEnabled("checkout", USER));
      assertThat(flags.isEnabled("checkout", EvaluationContext.of("user-2"))).isFalse();

      admin.delete("checkout", BOB);
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  flags
                      .getBooleanDetail("checkout", USER, true)
                      .reason()
                      .errorKind()
                      .equals(java.util.Optional.of(EvaluationReason.ErrorKind.FLAG_NOT_FOUND)));
      assertThat(store.lastError()).isEmpty();
    }
  }

  // ------------------------------------------------------------ directories

  @Test
  void inADirectoryEditsGoToTheFileOfTheDefinitionAndNewOnesToTheNewDefinitionsFile()
      throws Exception {
    Path flagsDir = Files.createDirectories(dir.resolve("flags.d"));
    Files.writeString(
        flagsDir.resolve("payments.json"),
        "{\"flags\": {\"checkout\": true}, \"segments\": {\"beta\": {\"included\": [\"u1\"]}}}");
    Files.writeString(flagsDir.resolve("web.json"), "{\"flags\": {\"banner\": true}}");
    String web = Files.readString(flagsDir.resolve("web.json"));

    try (FlagAdmin admin = FileFlagAdmin.builder(flagsDir).build()) {
      assertThat(admin.list()).extracting(FlagRecord::key).containsExactly("banner", "checkout");
      assertThat(admin.description()).isEqualTo("directory " + flagsDir);

      admin.setOn("checkout", false, ALICE);
      admin.create(Flag.simple("fresh", true), ALICE);

      assertThat(Files.readString(flagsDir.resolve("payments.json")))
          .contains("\"checkout\": false")
          .contains("\"beta\"");
      assertThat(Files.readString(flagsDir.resolve("web.json"))).isEqualTo(web);
      assertThat(Files.readString(flagsDir.resolve("flags.json")))
          .isEqualTo("{\n  \"flags\": {\n    \"fresh\": true\n  }\n}\n");
    }
    try (FlagAdmin admin = FileFlagAdmin.builder(flagsDir).newDefinitionsFile("web.json").build()) {
      admin.create(Flag.simple("later", false), ALICE);
      assertThat(Files.readString(flagsDir.resolve("web.json"))).contains("\"later\": false");
      assertThat(admin.audit(AuditQuery.ALL)).hasSize(3);
    }
    assertThat(flagsDir.resolve(".flags.audit.jsonl")).exists();
    assertThat(flagsDir.resolve(".flags.lock")).exists();
    try (DirectoryStream stream = new DirectoryStream(flagsDir)) {
      assertThat(stream.names())
          .containsExactlyInAnyOrder(
              "payments.json", "web.json", "flags.json", ".flags.audit.jsonl", ".flags.lock");
    }
    FileFlagStore store = FileFlagStore.builder().path(flagsDir).build();
    try (Flags flags = Flags.builder().store(store).build()) {
      assertThat(flags.awaitInitialization(TIMEOUT)).isTrue();
      assertThat(flags.isEnabled("fresh", USER)).isTrue();
      assertThat(flags.isEnabled("checkout", USER)).isFalse();
    }
  }

  @Test
  void anImportThatChangesSeveralFilesOfADirectoryIsCompletedAfterACrash() throws Exception {
    Path flagsDir = Files.createDirectories(dir.resolve("flags.d"));
    Files.writeString(flagsDir.resolve("a.json"), "{\"flags\": {\"alpha\": true}}");
    Files.writeString(flagsDir.resolve("b.json"), "{\"flags\": {\"bravo\": true}}");
    FileRepository crashing = FileFlagAdmin.builder(flagsDir).buildRepository();
    crashAt(crashing, "committed");
    FlagAdmin first = FlagAdmin.over(crashing);
    dev.flags.core.admin.ImportPlan plan =
        first.planImport(
            FlagSet.of(
                Flag.simple("alpha", false), Flag.simple("bravo", false), Flag.simple("new", true)),
            false);

    assertThatThrownBy(() -> first.applyImport(plan, ALICE)).isInstanceOf(SimulatedCrash.class);
    assertThat(Files.readString(flagsDir.resolve("a.json"))).contains("true");

    try (FlagAdmin admin = FileFlagAdmin.builder(flagsDir).build()) {
      assertThat(admin.list())
          .extracting(r -> r.key() + "=" + r.flag().orElseThrow().on())
          .containsExactly("alpha=false", "bravo=false", "new=true");
      assertThat(admin.audit(AuditQuery.ALL)).hasSize(3).allMatch(e -> e.actor().equals("alice"));
    }
    assertThat(Files.readString(flagsDir.resolve("a.json"))).contains("\"alpha\": false");
    assertThat(Files.readString(flagsDir.resolve("b.json"))).contains("\"bravo\": false");
    assertThat(Files.readString(flagsDir.resolve("flags.json"))).contains("\"new\": true");
    try (Stream<Path> files = Files.list(flagsDir)) {
      assertThat(files.map(FlagFileIo::name))
          .containsExactlyInAnyOrder(
              "a.json", "b.json", "flags.json", ".flags.audit.jsonl", ".flags.lock");
    }
  }

  @Test
  void aKeyDefinedInTwoFilesStopsWritesNamingBothFiles() throws Exception {
    Path flagsDir = Files.createDirectories(dir.resolve("flags.d"));
    Files.writeString(flagsDir.resolve("a.json"), "{\"flags\": {\"checkout\": true}}");
    Files.writeString(flagsDir.resolve("b.json"), "{\"flags\": {\"checkout\": false}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(flagsDir).build()) {
      assertThat(admin.readOnlyReason())
          .hasValueSatisfying(
              r ->
                  assertThat(r)
                      .contains("b.json: flags.checkout")
                      .contains("also defined in " + flagsDir.resolve("a.json")));
      assertThatThrownBy(() -> admin.setOn("checkout", false, ALICE))
          .isInstanceOf(ReadOnlyStoreException.class)
          .hasMessageContaining("fix it by hand first");
    }
  }

  // ------------------------------------------------------------ malformed files

  @Test
  void aFileThatDoesNotParseIsListedAsFarAsPossibleAndNotWritten() throws Exception {
    Path flagsDir = Files.createDirectories(dir.resolve("flags.d"));
    Files.writeString(flagsDir.resolve("good.json"), "{\"flags\": {\"banner\": true}}");
    Path bad = flagsDir.resolve("bad.json");
    Files.writeString(bad, "{\"flags\": {\n  \"checkout\": tru\n}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(flagsDir).build()) {
      assertThat(admin.list()).extracting(FlagRecord::key).containsExactly("banner");
      assertThat(admin.readOnlyReason())
          .hasValueSatisfying(r -> assertThat(r).startsWith(bad + ": ").contains("line 2"));
      assertThatThrownBy(() -> admin.setOn("banner", false, ALICE))
          .isInstanceOf(ReadOnlyStoreException.class)
          .hasMessageContaining(bad.toString())
          .hasMessageContaining("line 2");
      assertThat(Files.readString(flagsDir.resolve("good.json")))
          .isEqualTo("{\"flags\": {\"banner\": true}}");

      Files.writeString(bad, "{\"flags\": {\"checkout\": true}}"); // fixed by hand
      assertThat(admin.readOnlyReason()).isEmpty();
      admin.setOn("banner", false, ALICE);
      assertThat(admin.list()).extracting(FlagRecord::key).containsExactly("banner", "checkout");
    }
  }

  @Test
  void aSingleFileThatDoesNotParseIsRefusedSayingWhere() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true,}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      assertThat(admin.list()).isEmpty();
      assertThatThrownBy(() -> admin.create(Flag.simple("x", true), ALICE))
          .isInstanceOf(ReadOnlyStoreException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining("line 1");
    }
    assertThat(Files.readString(file)).isEqualTo("{\"flags\": {\"banner\": true,}}");
    assertThat(audit(file)).doesNotExist();
  }

  @Test
  void aWriteAfterWhichTheFilesWouldNotLoadIsRefused() throws Exception {
    Path file = file("{\"flags\": {}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.putSegment(Segment.builder("beta").include("u1").build(), ALICE);
      admin.create(
          Flag.builder("checkout").rule(Rule.when(Clause.inSegment("beta")).serve(true)).build(),
          ALICE);
      String before = Files.readString(file);

      assertThatThrownBy(() -> admin.deleteSegment("beta", BOB))
          .isInstanceOf(FlagValidationException.class)
          .hasMessageContaining("would no longer load")
          .hasMessageContaining("beta");
      assertThatThrownBy(
              () ->
                  admin.create(
                      Flag.builder("other")
                          .rule(Rule.when(Clause.inSegment("nope")).serve(true))
                          .build(),
                      BOB))
          .isInstanceOf(FlagValidationException.class)
          .hasMessageContaining("nope");
      assertThat(Files.readString(file)).isEqualTo(before);
      assertThat(admin.audit(AuditQuery.ALL)).hasSize(2);
    }
  }

  @Test
  void aWriteThatWouldMakeTheFileTooLargeForTheCodecIsRefused() throws Exception {
    Path file = file("{\"flags\": {}}");
    FlagCodec small = FlagCodec.builder().maxDocumentBytes(80).build();
    try (FlagAdmin admin = FileFlagAdmin.builder(file).codec(small).build()) {
      admin.create(Flag.simple("a", true), ALICE);
      admin.create(Flag.simple("b", true), ALICE);
      assertThatThrownBy(
              () -> admin.create(Flag.simple("a_rather_long_flag_key_to_go_past_it", true), ALICE))
          .isInstanceOf(FlagValidationException.class)
          .hasMessageContaining("would no longer load");
      assertThat(admin.list()).hasSize(2);
    }
  }

  // ------------------------------------------------------------ read-only

  @Test
  void aClasspathResourceIsReadOnlyButReadable() {
    FileFlagStore store =
        FileFlagStore.builder().classpathResource("dev/flags/core/bootstrap-flags.json").build();
    try (FlagAdmin admin = FileFlagAdmin.builder(store).build()) {
      assertThat(admin.list())
          .extracting(FlagRecord::key)
          .containsExactly("checkout_theme", "new_ui_layout");
      assertThat(admin.readOnlyReason())
          .hasValue(
              "classpath:dev/flags/core/bootstrap-flags.json is a resource inside the application"
                  + " and cannot be written: change the file it is built from, or use a flag file"
                  + " or Redis");
      assertThatThrownBy(() -> admin.setOn("new_ui_layout", true, ALICE))
          .isInstanceOf(ReadOnlyStoreException.class)
          .hasMessageContaining("resource inside the application");
    }
  }

  @Test
  void anImmutableDirectoryIsReadOnlyEvenForRoot() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true}}");
    Path real = dir.toRealPath();
    ReadOnly readOnly = ReadOnly.make(dir);
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      assertThat(admin.get("banner")).isPresent();
      assertThat(admin.readOnlyReason())
          .hasValueSatisfying(
              r -> assertThat(r).startsWith("the directory " + real).contains("not writable"));
      assertThatThrownBy(() -> admin.setOn("banner", false, ALICE))
          .isInstanceOf(ReadOnlyStoreException.class)
          .hasMessageContaining("not writable");
      assertThat(Files.readString(file)).isEqualTo("{\"flags\": {\"banner\": true}}");

      // The file itself can still be edited in place: the edit is seen, kept in memory only.
      Files.writeString(file, "{\"flags\": {\"banner\": false}}");
      FlagRecord edited = admin.find("banner").orElseThrow();
      assertThat(edited.version()).isEqualTo(2);
      assertThat(edited.lastChange()).map(AuditEntry::isRawEdit).contains(true);
      assertThat(admin.audit(AuditQuery.ALL)).singleElement().isEqualTo(edited.lastChange().get());
    } finally {
      readOnly.close();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(FlagFileIo::name)).containsExactly("flags.json");
    }
  }

  @Test
  void aReadOnlyFileSystemIsRefusedInOneLine() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Files.writeString(source.resolve("flags.json"), "{\"flags\": {\"banner\": true}}");
    Path mounted = Files.createDirectories(dir.resolve("mounted"));
    ReadOnlyMount mount = ReadOnlyMount.bind(source, mounted);
    try {
      Path file = mounted.resolve("flags.json");
      try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
        assertThat(admin.readOnlyReason())
            .hasValue(
                file
                    + " is on a read-only file system: edit it where it is deployed from, or use"
                    + " Redis");
        assertThatThrownBy(() -> admin.setOn("banner", false, ALICE))
            .isInstanceOf(ReadOnlyStoreException.class)
            .hasMessageContaining("read-only file system");
        assertThat(admin.get("banner").orElseThrow().flag().on()).isTrue();
      }
    } finally {
      mount.close();
    }
    assertThat(Files.readString(source.resolve("flags.json")))
        .isEqualTo("{\"flags\": {\"banner\": true}}");
  }

  // ------------------------------------------------------------ failures and crashes

  /** A process dying at a step: nothing after it runs, and its locks are let go. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String step) {
      super("crash at " + step);
    }
  }

  private static void crashAt(FileRepository repository, String step) {
    repository.onStep(
        s -> {
          if (s.equals(step)) {
            throw new SimulatedCrash(s);
          }
        });
  }

  @Test
  void aCrashBeforeTheCommitPointLeavesNothingAndItsTemporaryFileIsRemoved() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true}}");
    FileRepository crashing = FileFlagAdmin.builder(file).buildRepository();
    crashAt(crashing, "temporary-files-written");
    assertThatThrownBy(() -> FlagAdmin.over(crashing).setOn("banner", false, ALICE))
        .isInstanceOf(SimulatedCrash.class);
    assertThat(temporaryFiles()).hasSize(1);

    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      assertThat(admin.get("banner").orElseThrow().flag().on()).isTrue();
      assertThat(admin.audit(AuditQuery.ALL)).isEmpty();
    }
    assertThat(temporaryFiles()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo("{\"flags\": {\"banner\": true}}");
  }

  @Test
  void aCrashAfterTheCommitPointIsCompletedByTheNextAdmin() throws Exception {
    for (String step : List.of("committed", "renamed", "appended")) {
      Path file = file("{\"flags\": {\"banner\": true}}");
      Files.deleteIfExists(audit(file));
      FileRepository crashing = FileFlagAdmin.builder(file).buildRepository();
      crashAt(crashing, step);
      assertThatThrownBy(() -> FlagAdmin.over(crashing).setOn("banner", false, ALICE))
          .isInstanceOf(SimulatedCrash.class);
      assertThat(dir.resolve("flags.json.audit.pending")).as(step).exists();

      try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
        assertThat(admin.get("banner").orElseThrow().flag().on()).as(step).isFalse();
        assertThat(admin.audit(AuditQuery.ALL))
            .as(step)
            .singleElement()
            .satisfies(e -> assertThat(e.actor()).isEqualTo("alice"));
        assertThat(admin.get("banner").orElseThrow().version()).as(step).isEqualTo(2);
      }
      assertThat(dir.resolve("flags.json.audit.pending")).as(step).doesNotExist();
      assertThat(temporaryFiles()).as(step).isEmpty();
      assertThat(Files.readAllLines(audit(file))).as(step).hasSize(1);
    }
  }

  @Test
  void aFailedRenameWritesNothingAndNoEntry() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true}}");
    FileRepository failing = FileFlagAdmin.builder(file).buildRepository();
    failing.onStep(
        s -> {
          if (s.equals("committed")) {
            throw new UncheckedIOException(new IOException("No space left on device"));
          }
        });
    try (FlagAdmin admin = FlagAdmin.over(failing)) {
      assertThatThrownBy(() -> admin.setOn("banner", false, ALICE))
          .isInstanceOfSatisfying(
              StoreUnavailableException.class, e -> assertThat(e.mayHaveBeenApplied()).isFalse())
          .hasMessageContaining("No space left on device");
      failing.onStep(s -> {});
      assertThat(admin.get("banner").orElseThrow().flag().on()).isTrue();
      assertThat(admin.audit(AuditQuery.ALL)).isEmpty();
    }
    assertThat(dir.resolve("flags.json.audit.pending")).doesNotExist();
    assertThat(temporaryFiles()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo("{\"flags\": {\"banner\": true}}");
  }

  @Test
  void anAuditFileThatCannotBeAppendedToIsCaughtUpByTheNextOperation() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true}}");
    FileRepository failing = FileFlagAdmin.builder(file).buildRepository();
    failing.onStep(
        s -> {
          if (s.equals("renamed")) {
            throw new UncheckedIOException(new IOException("No space left on device"));
          }
        });
    try (FlagAdmin admin = FlagAdmin.over(failing)) {
      assertThatThrownBy(() -> admin.setOn("banner", false, ALICE))
          .isInstanceOfSatisfying(
              StoreUnavailableException.class, e -> assertThat(e.mayHaveBeenApplied()).isTrue())
          .hasMessageContaining("the change was applied");
      failing.onStep(s -> {});

      assertThat(admin.get("banner").orElseThrow().version()).isEqualTo(2);
      assertThat(admin.audit(AuditQuery.ALL))
          .singleElement()
          .satisfies(e -> assertThat(e.actor()).isEqualTo("alice"));
      admin.setOn("banner", true, BOB);
    }
    assertThat(Files.readAllLines(audit(file))).hasSize(2);
    assertThat(dir.resolve("flags.json.audit.pending")).doesNotExist();
  }

  @Test
  void anIncompleteLastAuditLineIsDroppedBeforeTheNextAppend() throws Exception {
    Path file = file("{\"flags\": {\"banner\": true}}");
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.setOn("banner", false, ALICE);
    }
    Files.writeString(
        audit(file), "{\"id\":\"99-0\",\"time\":", java.nio.file.StandardOpenOption.APPEND);
    try (FlagAdmin admin = FileFlagAdmin.builder(file).build()) {
      admin.setOn("banner", true, BOB);
      assertThat(admin.audit(AuditQuery.ALL)).hasSize(2);
    }
    List<String> lines = Files.readAllLines(audit(file));
    assertThat(lines).hasSize(2);
    assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"id\":").endsWith("}"));
  }

  @Test
  void concurrentWritersInOneProcessShareTheLock() throws Exception {
    Path file = file("{\"flags\": {\"checkout\": true}}");
    List<FlagAdmin> admins = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      admins.add(FileFlagAdmin.builder(file).build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        FlagAdmin admin = admins.get(i % 3);
        String user = "user-" + i;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  return admin.addTargets("checkout", true, List.of(user), Change.by("t"));
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      assertThat(admins.get(0).get("checkout").orElseThrow().flag().targets().get(0).keys())
          .hasSize(30);
    } finally {
      pool.shutdownNow();
      admins.forEach(FlagAdmin::close);
    }
  }

  // ------------------------------------------------------------ helpers

  private static Path audit(Path file) {
    return file.resolveSibling(file.getFileName() + ".audit.jsonl");
  }

  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> FlagFileIo.name(p).endsWith(".tmp")).toList();
    }
  }

  /** The lines two versions of a file differ in, from the first to the last difference. */
  record Diff(int firstChanged, int lastChangedAfter, List<String> changedLinesAfter) {
    static Diff of(List<String> before, List<String> after) {
      int prefix = 0;
      while (prefix < before.size()
          && prefix < after.size()
          && before.get(prefix).equals(after.get(prefix))) {
        prefix++;
      }
      int suffix = 0;
      while (suffix < before.size() - prefix
          && suffix < after.size() - prefix
          && before.get(before.size() - 1 - suffix).equals(after.get(after.size() - 1 - suffix))) {
        suffix++;
      }
      int last = after.size() - 1 - suffix;
      return new Diff(prefix, last, after.subList(prefix, last + 1));
    }
  }

  /** The names in a directory. */
  private static final class DirectoryStream implements AutoCloseable {
    private final Stream<Path> files;

    DirectoryStream(Path dir) throws IOException {
      this.files = Files.list(dir);
    }

    List<String> names() {
      return files.map(FlagFileIo::name).toList();
    }

    @Override
    public void close() {
      files.close();
    }
  }
}
