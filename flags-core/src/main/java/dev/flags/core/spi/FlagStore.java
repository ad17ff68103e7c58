package dev.flags.core.spi;

/**
 * A source of flag definitions: a file, Redis, a test double… The client calls {@link
 * #start(StoreSink)} once; the store then pushes everything it knows to the sink — a full {@link
 * StoreSnapshot} first, then single changes — and reports its status. The client compiles what it
 * receives and evaluates without ever calling the store again on the caller's thread.
 *
 * <p>Implementers must guarantee:
 *
 * <ul>
 *   <li>{@code start} returns promptly (no network or disk wait): loading happens on the store's
 *       own thread(s);
 *   <li>calls to the sink are made from the store's threads, one at a time (never concurrently), in
 *       the order the changes happened;
 *   <li>the sink receives only validated definitions: a definition that cannot be read is reported
 *       with {@link StoreSink#malformedFlag}, never thrown;
 *   <li>{@link #close()} stops every thread and connection the store started, is idempotent, and
 *       does not throw.
 * </ul>
 *
 * <p>For plug-in authors; not needed for basic use.
 */
public interface FlagStore extends AutoCloseable {

  /** Starts delivering flags to {@code sink}. Called once. */
  void start(StoreSink sink);

  /**
   * A hint that the client was asked for a flag it does not have. A store that does not hold an
   * index of every flag may look it up in the background and deliver it; it must not block, and
   * should remember misses so a mistyped key does not cause a lookup per call. Default: nothing.
   */
  default void prefetch(String flagKey) {}

  /** Stops the store. */
  @Override
  void close();
}
