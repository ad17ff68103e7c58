package dev.flags.core;

import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What the store feeds: compiles each definition it receives, builds the next {@link FlagSnapshot}
 * and publishes it to the client with one volatile write, works out which flags changed for the
 * {@link ListenerDispatcher}, and keeps the store's status and the client's initialization.
 *
 * <p>Changes are applied one at a time (under one lock), so each snapshot derives from the one
 * before. Thread-safe.
 */
final class ClientSink implements StoreSink {

  /** Where the sink publishes snapshots: the client, which evaluates against them. */
  interface Owner {
    FlagSnapshot snapshot();

    void publish(FlagSnapshot next);
  }

  private final Owner owner;
  private final ListenerDispatcher dispatcher;
  private final Object sinkLock = new Object();
  private final Object statusLock = new Object();
  private final CountDownLatch initialized = new CountDownLatch(1);

  /** The store's last status. */
  private volatile StoreStatus status = StoreStatus.INITIALIZING;

  private volatile String statusDetail = "";

  private volatile boolean closed;

  ClientSink(Owner owner, ListenerDispatcher dispatcher) {
    this.owner = owner;
    this.dispatcher = dispatcher;
  }

  // ---- state the client reads --------------------------------------------------------------

  StoreStatus status() {
    return status;
  }

  String statusDetail() {
    return statusDetail;
  }

  boolean isInitialized() {
    return initialized.getCount() == 0;
  }

  boolean isClosed() {
    return closed;
  }

  boolean awaitInitialization(Duration timeout) {
    try {
      return initialized.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Installs the bootstrap flags, served until the store's first load. */
  void bootstrap(FlagSet set) {
    install(StoreSnapshot.of(set), false);
  }

  /** Ignores the store from now on and drops every flag. */
  void close() {
    synchronized (sinkLock) {
      closed = true;
      owner.publish(FlagSnapshot.EMPTY);
    }
  }

  // ---- the store feeds us ------------------------------------------------------------------

  @Override
  public void replaceAll(StoreSnapshot snapshot) {
    install(snapshot, true);
  }

  /**
   * The status first, then the snapshot: whoever {@code awaitInitialization()} releases reads the
   * status that came with the first load, never the INITIALIZING before it.
   */
  @Override
  public void replaceAll(StoreSnapshot snapshot, StoreStatus status, String detail) {
    statusChanged(status, detail);
    install(snapshot, true);
  }

  private void install(StoreSnapshot snapshot, boolean fromStore) {
    Set<String> changed = new HashSet<>();
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      FlagSnapshot current = owner.snapshot();
      Map<String, Flag> definitions = snapshot.flags(); // unmodifiable, read only here
      Map<String, String> problems = new HashMap<>();
      markPrerequisiteProblems(definitions, problems);
      Map<String, CompiledFlag> next = new HashMap<>(definitions.size() * 2);
      for (Flag flag : definitions.values()) {
        String problem = problems.get(flag.key());
        next.put(
            flag.key(),
            problem != null ? CompiledFlag.rejected(flag, problem) : compileSafely(flag, problems));
      }
      snapshot
          .malformedFlags()
          .forEach(
              (key, problem) -> {
                problems.put(key, problem);
                next.put(key, CompiledFlag.malformed(key, problem));
              });

      boolean segmentsChanged = !sameSegments(current, snapshot.segments());
      for (Map.Entry<String, CompiledFlag> e : next.entrySet()) {
        CompiledFlag old = current.compiledFlag(e.getKey());
        if (old == null || !sameDefinition(old, e.getValue())) {
          changed.add(e.getKey());
        }
      }
      for (CompiledFlag old : current.flags()) {
        if (!next.containsKey(old.key)) {
          changed.add(old.key);
        }
      }
      Map<String, CompiledSegment> nextSegments = new HashMap<>();
      snapshot.segments().forEach((k, s) -> nextSegments.put(k, CompiledSegment.compile(s)));
      // Flags and segments together, in one write: an evaluation sees the old state or the new.
      owner.publish(FlagSnapshot.of(next, nextSegments));
      if (segmentsChanged) {
        changed.addAll(next.keySet());
      }
      problems.forEach(dispatcher::malformed);
    }
    if (fromStore) {
      dispatcher.flagsChanged(changed);
      dispatcher.checkKillDatesSoon();
      // After announcing: a listener added once initialization is observed hears only later
      // changes.
      initialized.countDown();
    }
  }

  private boolean sameSegments(FlagSnapshot current, Map<String, Segment> next) {
    if (next.size() != current.segmentCount()) {
      return false;
    }
    for (Map.Entry<String, Segment> e : next.entrySet()) {
      CompiledSegment old = current.compiledSegment(e.getKey());
      if (old == null || !old.definition.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameDefinition(CompiledFlag a, CompiledFlag b) {
    return Objects.equals(a.definition, b.definition)
        && Objects.equals(a.rejected, b.rejected)
        && Objects.equals(a.malformedProblem, b.malformedProblem);
  }

  private static CompiledFlag compileSafely(Flag flag, Map<String, String> problems) {
    try {
      return CompiledFlag.compile(flag);
    } catch (RuntimeException e) {
      String problem = "cannot compile: " + e;
      problems.put(flag.key(), problem);
      return CompiledFlag.malformed(flag.key(), problem);
    }
  }

  /**
   * Finds every flag on a prerequisite cycle, or at the top of a chain longer than the evaluator
   * follows: such a flag is refused (malformed, its definition kept) so the problem is reported,
   * not run into at evaluation.
   */
  private static void markPrerequisiteProblems(
      Map<String, Flag> definitions, Map<String, String> problems) {
    if (!anyPrerequisites(definitions.values())) {
      return; // the common case, spared a copy of every definition
    }
    Map<String, Flag> remaining = new HashMap<>(definitions);
    Optional<List<String>> cycle;
    while ((cycle = FlagSet.findPrerequisiteCycle(remaining)).isPresent()) {
      String text = "prerequisite cycle: " + String.join(" -> ", cycle.orElseThrow());
      for (String key : cycle.orElseThrow()) {
        problems.putIfAbsent(key, text);
        remaining.remove(key);
      }
    }
    PrerequisiteChains.tooLong(definitions, problems.keySet(), Flag.MAX_PREREQUISITE_DEPTH)
        .forEach((key, chain) -> problems.putIfAbsent(key, PrerequisiteChains.problem(chain)));
  }

  private static boolean anyPrerequisites(Iterable<Flag> definitions) {
    for (Flag f : definitions) {
      if (!f.prerequisites().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * After one flag changed: whether a flag is on a cycle or tops a chain too long depends on the
   * others, so every flag is judged again (a walk of the prerequisite graph, only when some flag
   * has prerequisites). Refuses the flags that now have such a problem, compiles again those that
   * no longer have one, and adds their keys to {@code changed}.
   */
  private FlagSnapshot revalidate(FlagSnapshot snapshot, Set<String> changed) {
    Map<String, Flag> definitions = new HashMap<>();
    for (CompiledFlag f : snapshot.flags()) {
      Flag d = f.definition != null ? f.definition : f.rejected;
      if (d != null) {
        definitions.put(f.key, d); // malformed in the store: absent, the end of any chain
      }
    }
    Map<String, String> problems = new HashMap<>();
    markPrerequisiteProblems(definitions, problems);
    FlagSnapshot next = snapshot;
    for (Flag d : definitions.values()) {
      // Every definition came from the snapshot.
      CompiledFlag now = Objects.requireNonNull(snapshot.compiledFlag(d.key()));
      String problem = problems.get(d.key());
      if (problem != null && !(now.rejected != null && problem.equals(now.malformedProblem))) {
        next = next.withFlag(CompiledFlag.rejected(d, problem));
        dispatcher.malformed(d.key(), problem);
        changed.add(d.key());
      } else if (problem == null && now.rejected != null) {
        Map<String, String> compileProblems = new HashMap<>();
        next = next.withFlag(compileSafely(d, compileProblems));
        compileProblems.forEach(dispatcher::malformed);
        changed.add(d.key());
      }
    }
    return next;
  }

  /**
   * Whether changing flag {@code key} (from {@code before} to what {@code next} holds) can change
   * whether some flag is on a cycle or tops a chain too long: only if the flag has prerequisites,
   * before or after, or another flag names it as one. Most changes touch neither, and are spared a
   * walk of the whole graph; the check is one pass over the flags' prerequisite arrays.
   */
  private static boolean touchesPrerequisites(
      FlagSnapshot next, String key, @Nullable CompiledFlag before) {
    CompiledFlag after = next.compiledFlag(key);
    if (hasPrerequisites(before) || hasPrerequisites(after)) {
      return true;
    }
    for (CompiledFlag f : next.flags()) {
      for (String p : f.prerequisiteKeys) {
        if (p.equals(key)) {
          return true;
        }
      }
      if (f.rejected != null) {
        for (Prerequisite p : f.rejected.prerequisites()) {
          if (p.flagKey().equals(key)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean hasPrerequisites(@Nullable CompiledFlag f) {
    return f != null && (f.prerequisiteKeys.length > 0 || f.rejected != null);
  }

  /**
   * Publishes {@code next}, the snapshot after flag {@code key} changed from {@code before}; judged
   * again first when the change touches prerequisites. Adds what changed to {@code changed}.
   */
  private void publishRevalidated(
      FlagSnapshot next, String key, @Nullable CompiledFlag before, Set<String> changed) {
    FlagSnapshot judged =
        touchesPrerequisites(next, key, before) ? revalidate(next, changed) : next;
    owner.publish(judged);
  }

  @Override
  public void upsertFlag(Flag flag) {
    Set<String> changed = new HashSet<>();
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      FlagSnapshot current = owner.snapshot();
      Map<String, String> problems = new HashMap<>();
      CompiledFlag compiled = compileSafely(flag, problems);
      CompiledFlag old = current.compiledFlag(flag.key());
      if (old == null || !sameDefinition(old, compiled)) {
        changed.add(flag.key());
      }
      problems.forEach(dispatcher::malformed);
      publishRevalidated(current.withFlag(compiled), flag.key(), old, changed);
      CompiledFlag published = owner.snapshot().compiledFlag(flag.key());
      if (old != null && published != null && sameDefinition(old, published)) {
        changed.remove(flag.key()); // the same definition again, refused again: nothing changed
      }
    }
    if (!changed.isEmpty()) {
      dispatcher.flagsChanged(changed);
      if (flag.metadata().killDate().isPresent()) {
        // Only this flag's definition changed: without a kill date it cannot have passed one, and
        // the check (every flag, sorted) would cost each change in every instance for nothing.
        dispatcher.checkKillDatesSoon();
      }
    }
  }

  @Override
  public void removeFlag(String flagKey) {
    Set<String> changed = new HashSet<>();
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      FlagSnapshot current = owner.snapshot();
      if (current.compiledFlag(flagKey) == null) {
        return;
      }
      changed.add(flagKey);
      publishRevalidated(
          current.withoutFlag(flagKey), flagKey, current.compiledFlag(flagKey), changed);
    }
    dispatcher.flagsChanged(changed);
  }

  @Override
  public void upsertSegment(Segment segment) {
    Set<String> users;
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      FlagSnapshot current = owner.snapshot();
      CompiledSegment old = current.compiledSegment(segment.key());
      FlagSnapshot next = current.withSegment(CompiledSegment.compile(segment));
      owner.publish(next);
      if (old != null && old.definition.equals(segment)) {
        return;
      }
      users = flagsUsingSegment(next, segment.key());
    }
    dispatcher.flagsChanged(users);
  }

  @Override
  public void removeSegment(String segmentKey) {
    Set<String> users;
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      FlagSnapshot current = owner.snapshot();
      if (current.compiledSegment(segmentKey) == null) {
        return;
      }
      FlagSnapshot next = current.withoutSegment(segmentKey);
      owner.publish(next);
      users = flagsUsingSegment(next, segmentKey);
    }
    dispatcher.flagsChanged(users);
  }

  private static Set<String> flagsUsingSegment(FlagSnapshot snapshot, String segmentKey) {
    Set<String> keys = new HashSet<>();
    for (CompiledFlag f : snapshot.flags()) {
      if (f.definition != null && usesSegment(f.definition, segmentKey)) {
        keys.add(f.key);
      }
    }
    return keys;
  }

  private static boolean usesSegment(Flag flag, String segmentKey) {
    JsonValue ref = JsonValue.of(segmentKey);
    for (Rule rule : flag.rules()) {
      for (Clause c : rule.clauses()) {
        if (c.operator().orElse(null) == Operator.SEGMENT_MATCH && c.values().contains(ref)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void malformedFlag(String flagKey, String problem) {
    Set<String> changed = new HashSet<>();
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      FlagSnapshot current = owner.snapshot();
      CompiledFlag old = current.compiledFlag(flagKey);
      dispatcher.malformed(flagKey, problem);
      if (old == null || old.rejected != null || !problem.equals(old.malformedProblem)) {
        changed.add(flagKey);
      }
      publishRevalidated(
          current.withFlag(CompiledFlag.malformed(flagKey, problem)), flagKey, old, changed);
    }
    dispatcher.flagsChanged(changed);
  }

  @Override
  public void statusChanged(StoreStatus newStatus, String detail) {
    String text = detail == null ? "" : detail;
    synchronized (statusLock) { // one report at a time, so listeners hear them in order
      StoreStatus old = status;
      String oldText = statusDetail;
      statusDetail = text;
      status = newStatus;
      if (old != newStatus) {
        dispatcher.statusChanged(old, newStatus, text);
      }
      if (newStatus != StoreStatus.OK
          && !text.isEmpty()
          && (old != newStatus || !text.equals(oldText))) {
        dispatcher.storeError(newStatus, text);
      }
    }
  }
}
