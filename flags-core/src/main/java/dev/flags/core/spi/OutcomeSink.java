package dev.flags.core.spi;

/**
 * Where a client delivers the outcomes it aggregated ({@link dev.flags.core.Flags#recordOutcome}),
 * one {@link OutcomeBatch} per flush, from the client's one flushing thread (never concurrently). A
 * store that shares outcomes between instances (flags-redis) implements it.
 *
 * <p>Implementers must: return once the batch is stored or throw; a {@link RuntimeException} means
 * nothing of the batch was stored, and the client then delivers the same outcomes again, with those
 * recorded since, in its next flush (so memory stays bounded and nothing is counted twice). A batch
 * stored partly must count as stored: prefer one atomic write. Be safe to call from any one thread
 * at a time.
 */
public interface OutcomeSink extends AutoCloseable {

  /**
   * Stores a batch.
   *
   * @throws RuntimeException if it was not stored
   */
  void publish(OutcomeBatch batch);

  /** Releases what the sink holds; the client calls it once, after its last flush. */
  @Override
  default void close() {}
}
