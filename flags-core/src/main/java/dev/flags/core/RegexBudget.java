package dev.flags.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The regular-expression work one evaluation may do: a real bound, whatever flag the codec
 * accepted.
 *
 * <p>Why this design. {@code java.util.regex} backtracks, so one pattern can take exponential time;
 * a linear-time engine would change what patterns mean (no backreferences, no lookaround) and would
 * be a second regex dialect to document. So the JDK's engine stays and its work is bounded, in
 * three ways that each close a hole the old per-pattern budget of 1,000,000 character reads left:
 *
 * <ul>
 *   <li><b>A budget shared by all patterns of one evaluation</b>: {@link #EVALUATION_READS}
 *       character reads, prerequisites and segments included. One clause with 1,000 copies of
 *       {@code (a+)+$} read 1,000 × 1,000,000 characters (18 s); now all of them together read
 *       1,000,000. Each pattern may read at most {@link #PATTERN_READS} of them on one value, so
 *       one pathological pattern leaves the next its share. (Ordinary patterns need far less: a
 *       300-word alternation searched through 1,024 characters reads about 300,000.)
 *   <li><b>A CPU-time ceiling</b>, {@link #EVALUATION_CPU_NANOS} of the evaluating thread's CPU
 *       time, at most {@link #PATTERN_CPU_NANOS} of it for one pattern on one value. Counting reads
 *       is deterministic, but the work between two reads is not constant: a character class of 500
 *       ranges tests each read against each range (4.5 µs a read: 1.5 to 4.5 s for 1,000,000
 *       reads), {@code (a*)*} unwinds deep recursion without reading. Static weights could not
 *       price these exactly, so the clock does. CPU time, not wall time, so a GC pause or a busy
 *       machine does not cut a normal pattern short. Patterns that stop by the read budget (nearly
 *       all pathological ones do) stop at the same point every time.
 *   <li><b>A length limit checked when the flag is read</b>: a pattern has at most {@link
 *       Clause#MAX_PATTERN_LENGTH} characters, which bounds the work between two reads and so how
 *       far past the ceiling a check can come. (The attribute value a pattern runs on is limited to
 *       {@link CompiledClause#MAX_REGEX_INPUT} characters; longer values do not match.)
 * </ul>
 *
 * A pattern stopped by either budget, or by a {@link StackOverflowError} of the engine, does not
 * match. The measured worst cases are in {@code docs/limits.md}.
 *
 * <p>One instance per thread, reset at the start of each evaluation of a flag that can run a
 * regular expression (only those pay for the reset). Not thread-safe; confined to its thread.
 */
final class RegexBudget {
  /** Character reads all patterns of one evaluation may make together. */
  static final int EVALUATION_READS = 1_000_000;

  /** Character reads one pattern may make on one attribute value. */
  static final int PATTERN_READS = 500_000;

  /** CPU time all patterns of one evaluation may take together: 50 ms. */
  static final long EVALUATION_CPU_NANOS = 50_000_000L;

  /**
   * CPU time one pattern may take on one value: 20 ms, so it leaves the next pattern time too, and
   * generous enough that an ordinary pattern is not cut short while the JIT has not compiled the
   * regex engine yet (a 300-word alternation over 1,024 characters takes about 7 ms then).
   */
  static final long PATTERN_CPU_NANOS = 20_000_000L;

  /** Reads between two looks at the clock, for short patterns (a look costs about 1 µs). */
  static final int CHECK_EVERY = 1024;

  /** Reads between two looks at the clock for long patterns, whose reads cost microseconds. */
  static final int CHECK_EVERY_LONG = 64;

  private static final ThreadLocal<RegexBudget> CURRENT = ThreadLocal.withInitial(RegexBudget::new);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

  /** Reads left for this evaluation. */
  int reads = EVALUATION_READS;

  /** Reads left until the next look at the clock. */
  int untilCheck = CHECK_EVERY;

  /** When the evaluation's time is up, on {@link #clockNow()}'s clock; 0: not started. */
  private long deadline;

  /** When the current pattern's time is up; 0: not started. */
  private long patternDeadline;

  /** Whether the time is up. */
  boolean outOfTime;

  private boolean wallClock;

  private RegexBudget() {}

  /** Resets this thread's budget for a new evaluation and returns it. */
  static RegexBudget start() {
    RegexBudget b = CURRENT.get();
    b.reads = EVALUATION_READS;
    b.untilCheck = CHECK_EVERY;
    b.deadline = 0;
    b.patternDeadline = 0;
    b.outOfTime = false;
    return b;
  }

  /** This thread's budget, as the current evaluation left it. */
  static RegexBudget current() {
    return CURRENT.get();
  }

  boolean exhausted() {
    return reads <= 0 || outOfTime;
  }

  /** A pattern starts on a value: its own time starts at its first look at the clock. */
  void startPattern() {
    patternDeadline = 0;
  }

  /**
   * Looks at the clock; returns whether the pattern must stop: its own time is up, or the
   * evaluation's (then {@link #outOfTime}). Each clock starts at its first look, after the first
   * {@code interval} reads, so a pattern that needs fewer never reads the clock.
   */
  boolean checkClock(int interval) {
    untilCheck = interval;
    long now = clockNow();
    if (deadline == 0) {
      deadline = now + EVALUATION_CPU_NANOS;
    }
    if (patternDeadline == 0) {
      patternDeadline = now + PATTERN_CPU_NANOS;
    }
    if (now > deadline) {
      outOfTime = true;
    }
    return outOfTime || now > patternDeadline;
  }

  /**
   * This thread's CPU time, or the wall clock where CPU time is not measured (a virtual thread, a
   * JVM without it): then a pause counts too, which only makes the bound tighter.
   */
  private long clockNow() {
    if (CPU_TIME && !wallClock) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      if (cpu >= 0) {
        return cpu;
      }
      wallClock = true; // this thread has no CPU clock: stay on the wall clock from now on
      deadline = 0;
      patternDeadline = 0;
      return System.nanoTime();
    }
    return System.nanoTime();
  }
}
