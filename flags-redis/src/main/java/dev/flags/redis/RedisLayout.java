package dev.flags.redis;

import dev.flags.core.admin.DefinitionKind;
import java.util.List;
import java.util.Optional;

/**
 * The names of the keys and channels under one prefix (docs/redis-layout.md). Internal keys use
 * {@code #}, which no flag key may contain, so they can never collide with a flag. Immutable.
 */
final class RedisLayout {

  /** The prefix used when none is set; on a Cluster, see {@link #DEFAULT_CLUSTER_PREFIX}. */
  static final String DEFAULT_PREFIX = "feature:";

  /** The default on a Cluster: the hash tag keeps every flag key in one slot. */
  static final String DEFAULT_CLUSTER_PREFIX = "{feature}:";

  final String prefix;
  final String index;
  final String versions;
  final String digests;
  final String counter;
  final String epoch;
  final String restoreLock;
  final String audit;
  final String channel;
  final String segmentPrefix;
  final String segmentIndex;
  final String segmentVersions;
  final String segmentDigests;
  final String known;
  final String lastChanges;
  final String segmentKnown;
  final String segmentLastChanges;
  final Kind flags;
  final Kind segments;

  /**
   * The keys the scripts keep for one kind of definition (docs/redis-layout.md).
   *
   * @param name {@code flag} or {@code segment}: the audit entries' {@code kind}
   * @param valuePrefix the prefix of a definition's value key
   * @param messagePrefix what precedes the key in an invalidation message
   * @param index the set of keys
   * @param versions key → version
   * @param digests key → SHA-1 of the value the SDK last wrote or recorded
   * @param known key → that value itself (the {@code before} of a raw edit)
   * @param lastChanges key → the id of its last audit entry
   */
  record Kind(
      String name,
      String valuePrefix,
      String messagePrefix,
      String index,
      String versions,
      String digests,
      String known,
      String lastChanges) {

    String valueKey(String key) {
      return valuePrefix + key;
    }

    /** The five hashes and sets in the order the scripts take them. */
    List<String> internalKeys() {
      return List.of(index, versions, digests, known, lastChanges);
    }
  }

  RedisLayout(String prefix) {
    this.prefix = prefix;
    this.index = prefix + "#index";
    this.versions = prefix + "#versions";
    this.digests = prefix + "#digests";
    this.counter = prefix + "#counter";
    this.epoch = prefix + "#epoch";
    this.restoreLock = prefix + "#restore-lock";
    this.audit = prefix + "#audit";
    this.channel = prefix + "#changes";
    this.segmentPrefix = prefix + "#segment:";
    this.segmentIndex = prefix + "#segments";
    this.segmentVersions = prefix + "#segment-versions";
    this.segmentDigests = prefix + "#segment-digests";
    this.known = prefix + "#known";
    this.lastChanges = prefix + "#last-change";
    this.segmentKnown = prefix + "#segment-known";
    this.segmentLastChanges = prefix + "#segment-last-change";
    this.flags = new Kind("flag", prefix, "", index, versions, digests, known, lastChanges);
    this.segments =
        new Kind(
            "segment",
            segmentPrefix,
            SEGMENT_MESSAGE_PREFIX,
            segmentIndex,
            segmentVersions,
            segmentDigests,
            segmentKnown,
            segmentLastChanges);
  }

  /** The layout under {@code prefix}, or the default prefix of the connection's mode. */
  static RedisLayout of(RedisConnectionSettings settings, Optional<String> prefix) {
    return new RedisLayout(
        prefix.orElse(
            settings.mode() == RedisConnectionSettings.Mode.CLUSTER
                ? DEFAULT_CLUSTER_PREFIX
                : DEFAULT_PREFIX));
  }

  Kind of(DefinitionKind kind) {
    return kind == DefinitionKind.FLAG ? flags : segments;
  }

  String flagKey(String key) {
    return prefix + key;
  }

  /** The flag key of a Redis key, if it is one (internal keys and invalid names are not). */
  Optional<String> flagKeyOf(String redisKey) {
    if (!redisKey.startsWith(prefix)) {
      return Optional.empty();
    }
    String key = redisKey.substring(prefix.length());
    return isValidFlagKey(key) ? Optional.of(key) : Optional.empty();
  }

  String segmentKey(String key) {
    return segmentPrefix + key;
  }

  /** The segment key of a Redis key, if it is one. */
  Optional<String> segmentKeyOf(String redisKey) {
    if (!redisKey.startsWith(segmentPrefix)) {
      return Optional.empty();
    }
    String key = redisKey.substring(segmentPrefix.length());
    return isValidFlagKey(key) ? Optional.of(key) : Optional.empty();
  }

  /** The invalidation message of a segment (flag keys cannot contain ':'). */
  static final String SEGMENT_MESSAGE_PREFIX = "segment:";

  /**
   * The keyspace-notification pattern for the flag keys in {@code database}: the prefix followed by
   * anything but {@code #}, so the internal keys ({@code #counter}, {@code #audit}, {@code
   * #versions}…), which every write touches and no subscriber needs, are never sent to the
   * subscribers: each internal key a write touches would otherwise be one more message for every
   * instance to read and drop.
   */
  String keyspacePattern(int database) {
    return "__keyspace@" + database + "__:" + globEscape(prefix) + "[^#]*";
  }

  /** The keyspace-notification pattern for the segment keys in {@code database}. */
  String segmentKeyspacePattern(int database) {
    return "__keyspace@" + database + "__:" + globEscape(segmentPrefix) + "*";
  }

  /** The channel as a pattern matching only itself. */
  String channelPattern() {
    return globEscape(channel);
  }

  static String globEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** The hash tag of the prefix ({@code feature} in {@code {feature}:}), if it has one. */
  static Optional<String> hashTag(String prefix) {
    int open = prefix.indexOf('{');
    if (open < 0) {
      return Optional.empty();
    }
    int close = prefix.indexOf('}', open + 1);
    if (close < 0 || close == open + 1) {
      return Optional.empty();
    }
    return Optional.of(prefix.substring(open + 1, close));
  }

  /** The same rule as flags-core: 1..128 letters, digits, '_', '-', '.'. */
  static boolean isValidFlagKey(String key) {
    if (key.isEmpty() || key.length() > 128) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String checkPrefix(String prefix, boolean cluster) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "prefix: must not be empty (the default is \"" + DEFAULT_PREFIX + "\")");
    }
    if (prefix.indexOf('#') >= 0 || prefix.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "prefix: must not contain '#' or whitespace, got \"" + prefix + "\"");
    }
    if (cluster && hashTag(prefix).isEmpty()) {
      throw new IllegalArgumentException(
          "prefix: on a Redis Cluster the prefix needs a hash tag so all flag keys"
              + " share one slot, such as \"{"
              + prefix.replace(":", "")
              + "}:\"; got \""
              + prefix
              + "\"");
    }
    return prefix;
  }
}
