package dev.flags.redis;

import java.util.List;
import java.util.Set;

/** The few commands a full load needs, over a pool ({@link RedisConnections}) or one connection ({@link DirectReader}). */
interface KeyReader {

  /** GET; null when the key is missing. */
  String get(String key);

  /** SMEMBERS. */
  Set<String> smembers(String key);

  /** HMGET; a null element for each missing field. */
  List<String> hmget(String key, String... fields);

  /** MGET; a null element for each missing key. */
  List<String> mget(String... keys);

  /** SADD (the one write of a load: putting stored keys back in a damaged index). */
  void sadd(String key, String... members);
}
