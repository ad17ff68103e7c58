package dev.flags.cli;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Prints every change of the flags as it happens — what changed, who made it and why when"
          + " the audit log knows (a hand edit or a redis-cli SET shows as \"unknown (raw"
          + " edit)\") — until Ctrl-C. An operator's pause, resume, abort or restart of a"
          + " guarded rollout shows too, within a second or two. With --json, one JSON object a"
          + " line."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl watch",
      "  flagctl watch new_checkout_flow checkout_theme --json",
      "  flagctl watch new_checkout_flow --count 1   # wait for its next change"
    })
final class WatchCommand extends Base {

  @Parameters(arity = "0..*", paramLabel = "KEY", description = "Only these flags.")
  List<String> keys = new ArrayList<>();

  @Option(names = "--count", paramLabel = "N", description = "Stop after N changes.")
  @Nullable Integer count;

  /**
   * How often the audit log is read for guarded rollout plan entries ({@code plan-pause}…): they
   * change no definition, so no flag change announces them.
   */
  static final Duration PLAN_POLL = Duration.ofSeconds(1);

  /** The most entries one poll reads: more than a second's plan actions. */
  private static final int PLAN_PAGE = 200;

  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, Summary> summaries = new HashMap<>();
  private final Set<String> planEntriesSeen = new HashSet<>();
  // Null until the log first answered: the entries at or after it were printed or were there.
  private @Nullable Instant planEntriesFrom;

  @Override
  public Integer call() throws Exception {
    if (count != null && count < 1) {
      throw CliException.invalid("--count: must be at least 1, got " + count);
    }
    Backend backend = backend();
    Set<String> only = new LinkedHashSet<>(keys);
    for (Summary s : backend.list()) {
      versions.put(s.key(), s.version());
      summaries.put(s.key(), s);
    }
    for (String k : only) {
      if (!versions.containsKey(k)) {
        err().println("flagctl: no flag \"" + k + "\" yet; watching for it");
      }
    }
    CountDownLatch done = new CountDownLatch(count == null ? 1 : count);
    Object lock = session();
    Backend.WatchListener listener =
        new Backend.WatchListener() {
          @Override
          public void changed(String key) {
            if (!only.isEmpty() && !only.contains(key)) {
              return;
            }
            synchronized (lock) {
              int printed = report(backend, key);
              for (int i = 0; i < printed && count != null; i++) {
                done.countDown();
              }
            }
          }

          @Override
          public void problem(String message) {
            synchronized (lock) {
              err().println("flagctl: " + message);
              err().flush();
            }
          }

          @Override
          public void recovered(String message) {
            synchronized (lock) {
              err().println("flagctl: the store answers again: " + message);
              err().flush();
            }
          }
        };
    AutoCloseable handle = backend.watch(listener);
    ScheduledExecutorService planPoller = null;
    if (backend.keepsPlans()) {
      markPlanEntriesSeen(backend);
      planPoller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "flagctl-watch-plans");
                t.setDaemon(true);
                return t;
              });
      var unused =
          planPoller.scheduleWithFixedDelay(
              () -> {
                synchronized (lock) {
                  int printed = reportPlanEntries(backend, only);
                  for (int i = 0; i < printed && count != null; i++) {
                    done.countDown();
                  }
                }
              },
              PLAN_POLL.toMillis(),
              PLAN_POLL.toMillis(),
              TimeUnit.MILLISECONDS);
    }
    try {
      synchronized (lock) {
        err()
            .println(
                "flagctl: watching "
                    + (only.isEmpty() ? "every flag" : String.join(", ", only))
                    + " in "
                    + backend.description()
                    + "; Ctrl-C stops");
        err().flush();
      }
      done.await();
    } finally {
      if (planPoller != null) {
        planPoller.shutdownNow();
      }
      handle.close();
    }
    return Exit.OK;
  }

  /** Prints what happened to a flag since the version last seen; returns how many changes. */
  private int report(Backend backend, String key) {
    Optional<FlagState> now = backend.find(key);
    long seen = versions.getOrDefault(key, 0L);
    long version = now.map(FlagState::version).orElse(-1L);
    if (now.isPresent() && version == seen) {
      return 0;
    }
    if (now.isEmpty() && !versions.containsKey(key)) {
      return 0;
    }
    List<AuditEntry> entries =
        backend.audit(AuditQuery.builder().flag(key).limit(50).build()).stream()
            .filter(e -> e.version() > seen)
            .sorted(Comparator.comparing(AuditEntry::version))
            .toList();
    int printed = 0;
    if (entries.isEmpty()) {
      Instant t = session().clock.instant();
      List<String> diff = new ArrayList<>();
      if (now.isEmpty()) {
        diff.add("deleted");
      } else {
        diff.add("changed");
        now.flatMap(FlagState::flag)
            .ifPresent(f -> diff.set(0, summaryDiff(summaries.get(key), now.get().summary())));
      }
      print(t, key, now.isEmpty() ? seen : version, "unknown", "", "", diff, false);
      printed = 1;
    }
    for (AuditEntry e : entries) {
      print(
          e.time(),
          key,
          e.version(),
          e.actor(),
          e.action(),
          e.reason(),
          Diffs.lines(key, e.before(), e.after()),
          e.isRawEdit());
      printed++;
    }
    if (now.isPresent()) {
      versions.put(key, version);
      summaries.put(key, now.get().summary());
    } else {
      versions.remove(key);
      summaries.remove(key);
    }
    return printed;
  }

  /** The entries already in the log when the watch starts are not printed. */
  private void markPlanEntriesSeen(Backend backend) {
    try {
      List<AuditEntry> newest = backend.audit(AuditQuery.builder().limit(1).build());
      if (newest.isEmpty()) {
        planEntriesFrom = Instant.EPOCH;
        return;
      }
      // By the store's clock, not this machine's: the polls ask by the same clock.
      Instant from = newest.get(0).time();
      backend
          .audit(AuditQuery.builder().from(from).limit(PLAN_PAGE).build())
          .forEach(e -> planEntriesSeen.add(e.id()));
      planEntriesFrom = from;
    } catch (RuntimeException e) {
      // The store does not answer yet: the first poll that gets an answer starts from there.
    }
  }

  /**
   * Prints the plan entries recorded since the last poll; returns how many. A store that does not
   * answer is the flag watch's to report, so a failed poll prints nothing.
   */
  private int reportPlanEntries(Backend backend, Set<String> only) {
    Instant from = planEntriesFrom;
    if (from == null) {
      markPlanEntriesSeen(backend);
      return 0;
    }
    List<AuditEntry> entries;
    try {
      entries = backend.audit(AuditQuery.builder().from(from).limit(PLAN_PAGE).build());
    } catch (RuntimeException e) {
      return 0;
    }
    int printed = 0;
    List<AuditEntry> oldestFirst = new ArrayList<>(entries);
    oldestFirst.sort(Comparator.comparing(AuditEntry::time).thenComparing(AuditEntry::id));
    for (AuditEntry e : oldestFirst) {
      if (e.time().isAfter(from)) {
        from = e.time();
      }
      if (!planEntriesSeen.add(e.id())
          || e.changesDefinition()
          || (!only.isEmpty() && !only.contains(e.key()))) {
        continue;
      }
      print(
          e.time(),
          e.key(),
          e.version(),
          e.actor(),
          e.action(),
          e.reason(),
          List.of(planChange(e.action())),
          false);
      printed++;
    }
    // The next poll asks from `from` on: only the ids recorded at that instant can come again.
    Instant last = from;
    planEntriesSeen.retainAll(
        entries.stream().filter(e -> e.time().equals(last)).map(AuditEntry::id).toList());
    planEntriesFrom = from;
    return printed;
  }

  /** {@code plan-pause} → "guarded rollout paused"; a newer action is named as it is. */
  static String planChange(String action) {
    return switch (action) {
      case AuditEntry.ACTION_PLAN_PAUSE -> "guarded rollout paused";
      case AuditEntry.ACTION_PLAN_RESUME -> "guarded rollout resumed";
      case AuditEntry.ACTION_PLAN_ABORT -> "guarded rollout aborted";
      case AuditEntry.ACTION_PLAN_RESTART -> "guarded rollout restarted";
      default -> "guarded rollout: " + action;
    };
  }

  private static String summaryDiff(@Nullable Summary before, Summary after) {
    if (before == null) {
      return "created";
    }
    List<String> d = new ArrayList<>();
    if (!before.on().equals(after.on())) {
      d.add("on: " + before.on().orElse(null) + " -> " + after.on().orElse(null));
    }
    if (!Views.rolloutCell(before).equals(Views.rolloutCell(after))) {
      d.add("rollout: " + Views.rolloutCell(before) + " -> " + Views.rolloutCell(after));
    }
    return d.isEmpty() ? "changed" : String.join("; ", d);
  }

  private void print(
      Instant time,
      String key,
      long version,
      String actor,
      String action,
      String reason,
      List<String> diff,
      boolean raw) {
    if (json()) {
      out()
          .println(
              dev.flags.core.json.FlagCodec.standard()
                  .write(
                      JsonOut.obj()
                          .put("time", time)
                          .put("key", key)
                          .put("version", version)
                          .put("actor", actor)
                          .put("action", action)
                          .put("reason", reason)
                          .put("rawEdit", raw)
                          .put("diff", diff)
                          .build()));
    } else {
      out()
          .println(
              Render.time(time)
                  + "  "
                  + key
                  + "  v"
                  + version
                  + "  "
                  + actor
                  + (action.isEmpty() ? "" : "  " + action)
                  + "  "
                  + String.join("; ", diff)
                  + (reason.isEmpty() ? "" : "  \"" + reason + "\""));
    }
    out().flush();
  }
}
