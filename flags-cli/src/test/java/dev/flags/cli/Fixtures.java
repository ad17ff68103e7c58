package dev.flags.cli;

/** Flag files the tests start from. */
final class Fixtures {
  private Fixtures() {}

  /**
   * A boolean rollout with targets, a rule, a bucketBy, a salt and a past kill date; two others.
   */
  static final String FLAGS =
      """
      {
        "flags": {
          "new_checkout_flow": {
            "variations": [false, true], "offVariation": 0,
            "fallthrough": {"rollout": {"weights": [{"variation": 1, "weight": 25000}, {"variation": 0, "weight": 75000}], "bucketBy": "tenantId", "algorithm": "md5-percent-compat"}},
            "salt": "checkout-salt",
            "targets": [{"variation": 1, "values": ["user-1", "user-2"]}],
            "rules": [{"id": "de", "clauses": [{"attribute": "country", "op": "in", "values": ["DE"]}], "variation": 1}],
            "owner": "team-payments", "description": "New checkout", "tags": ["checkout"],
            "killDate": "2020-06-30T00:00:00Z"
          },
          "new_ui_layout": false,
          "checkout_theme": {"variations": ["light", "dark"], "offVariation": 0, "fallthrough": {"variation": 1}, "owner": "team-web", "tags": ["ui"]}
        },
        "segments": {
          "beta-testers": {"included": ["user-1"]}
        }
      }
      """;
}
