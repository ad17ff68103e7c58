package dev.flags.benchmarks;

/**
 * The shared definition of the benchmark scenarios: flag keys and the 1,024 users every SDK
 * evaluates, round-robin. Each SDK's benchmark builds its own contexts from these attributes in its
 * {@code @Setup}, so evaluation measures only the SDK.
 *
 * <p>About 13% of users match the rule of {@link #RULE_THEN_ROLLOUT} (country DE or FR, plan pro: 2
 * countries of 5 times 1 plan of 3); the others fall through to the 10% rollout.
 */
final class Scenarios {

  /** Users are drawn with {@code counter & USER_MASK}. */
  static final int USERS = 1024;

  static final int USER_MASK = USERS - 1;

  /** A boolean flag on for everyone. */
  static final String BOOLEAN_ON = "bool_on";

  /** A 10% rollout by user key. */
  static final String ROLLOUT_10 = "rollout_10";

  /** {@code country in [DE, FR] and plan = pro} serves true, else a 10% rollout. */
  static final String RULE_THEN_ROLLOUT = "rule_then_rollout";

  static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "ES"};

  private Scenarios() {}

  static String key(int user) {
    return "user-" + user;
  }

  static String country(int user) {
    return COUNTRIES[user % COUNTRIES.length];
  }

  static String plan(int user) {
    return user % 3 == 0 ? "pro" : "free";
  }

  /** Whether the user matches the rule of {@link #RULE_THEN_ROLLOUT}. */
  static boolean matchesRule(int user) {
    String c = country(user);
    return (c.equals("DE") || c.equals("FR")) && plan(user).equals("pro");
  }
}
