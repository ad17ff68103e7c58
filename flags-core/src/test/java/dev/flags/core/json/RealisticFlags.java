package dev.flags.core.json;

/**
 * Builds a flag-set document of realistic flags, deterministically: a few rules with clauses, a
 * target list, a rollout, metadata; every tenth flag a bare on/off switch. About 1 KB per flag.
 */
final class RealisticFlags {
  private RealisticFlags() {}

  static String document(int count) {
    StringBuilder sb = new StringBuilder(count * 1100);
    sb.append("{\n  \"flags\": {\n");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(",\n");
      }
      String key = "team" + (i % 37) + ".feature_" + i;
      sb.append("    \"").append(key).append("\": ");
      if (i % 10 == 9) {
        sb.append(i % 20 == 9);
        continue;
      }
      int on = 5_000 + (i * 7919) % 90_000;
      sb.append("{\n")
          .append("      \"key\": \"")
          .append(key)
          .append("\", \"version\": ")
          .append(i + 1)
          .append(", \"on\": true,\n")
          .append("      \"variations\": [false, true], \"offVariation\": 0,\n")
          .append(
              "      \"fallthrough\": { \"rollout\": { \"weights\": [ {\"variation\": 1, \"weight\": ")
          .append(on)
          .append("}, {\"variation\": 0, \"weight\": ")
          .append(100_000 - on)
          .append("} ], \"bucketBy\": \"tenantId\" } },\n")
          .append("      \"targets\": [ { \"variation\": 1, \"values\": [\"user-")
          .append(i)
          .append("\", \"user-")
          .append(i + 1)
          .append("\", \"qa-")
          .append(i % 5)
          .append("\"] } ],\n")
          .append("      \"rules\": [\n")
          .append(
              "        { \"id\": \"eu\", \"clauses\": [ { \"attribute\": \"country\", \"op\": \"in\", \"values\": [\"DE\", \"FR\", \"NL\", \"AT\"] },\n")
          .append(
              "                                    { \"attribute\": \"plan\", \"op\": \"in\", \"values\": [\"pro\"], \"negate\": true } ], \"variation\": 1 },\n")
          .append(
              "        { \"id\": \"staff\", \"clauses\": [ { \"attribute\": \"email\", \"op\": \"endsWith\", \"values\": [\"@example.com\"], \"ignoreCase\": true } ], \"variation\": 1 },\n")
          .append(
              "        { \"id\": \"new-app\", \"clauses\": [ { \"attribute\": \"appVersion\", \"op\": \"semVerGreaterThan\", \"values\": [\"3.")
          .append(i % 10)
          .append(".0\"] } ], \"variation\": 0 }\n")
          .append("      ],\n")
          .append("      \"description\": \"Feature ")
          .append(i)
          .append(" of team ")
          .append(i % 37)
          .append(": a realistic description of what the flag guards.\",\n")
          .append("      \"owner\": \"team-")
          .append(i % 37)
          .append("\", \"tags\": [\"web\", \"q")
          .append(1 + i % 4)
          .append("\"],\n")
          .append(
              "      \"createdAt\": \"2026-01-05T00:00:00Z\", \"killDate\": \"2026-06-30T00:00:00Z\"\n")
          .append("    }");
    }
    sb.append("\n  },\n  \"segments\": {}\n}\n");
    return sb.toString();
  }
}
