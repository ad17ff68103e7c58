package dev.flags.redis;

import java.util.List;
import java.util.Set;

/**
 * The few commands a full load needs, over a pool ({@link RedisConnections}) or one connection
 * ({@link DirectReader}).
 */
interface KeyReader {

  /** GET; null when the key is missing. */
  String get(String key);

  /** SMEMBERS. */
  Set<String> smembers(String key);

  /** HMGET; a null element for each missing field. */
  List<String> hmget(String key, String... fields);

  /** MGET; a null element for each missing key. */
  List<String> mget(String... keys);

  /**
   * One {@code SCAN} step over the node holding the flags: {@code SCAN cursor MATCH pattern COUNT
   * count}. Returns the next cursor ("0" when done) followed by the keys found.
   */
  List<String> scan(String cursor, String pattern, int count);

  /**
   * SET NX, then GET: the value now stored (the one given, or the one another writer set first).
   *
   * @throws redis.clients.jedis.exceptions.JedisDataException where writes are refused
   */
  String setIfAbsent(String key, String value);

  /** SADD (the one write of a load: putting stored keys back in a damaged index). */
  void sadd(String key, String... members);

  /**
   * For each batch {@code i}: HMGET of {@code fields.get(i)} in {@code hash}, then MGET of {@code
   * keys.get(i)}; each pair of replies goes to {@code onBatch}, in order. A reader that can sends
   * every request before it reads the first reply.
   */
  default void readBatches(
      String hash, List<String[]> fields, List<String[]> keys, BatchReplies onBatch) {
    for (int i = 0; i < fields.size(); i++) {
      List<String> versions = hmget(hash, fields.get(i));
      onBatch.accept(i, versions, mget(keys.get(i)));
    }
  }

  /**
   * Runs {@code script} once per batch ({@code keys.get(i)}, {@code args.get(i)}) and hands each
   * reply to {@code onReply} in order: the reply, or the {@link
   * redis.clients.jedis.exceptions.JedisDataException} the server answered with. A reader that can
   * sends every request before it reads the first reply.
   */
  void evalBatches(
      LuaScript script,
      List<List<String>> keys,
      List<List<String>> args,
      java.util.function.Consumer<Object> onReply);

  /** The replies of one batch of {@link #readBatches}. */
  @FunctionalInterface
  interface BatchReplies {
    void accept(int batch, List<String> hmget, List<String> mget);
  }
}
