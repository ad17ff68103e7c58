package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Key lists (targets, a segment's included and excluded keys) name known users: an anonymous
 * visitor whose generated id equals such a key does not get that user's treatment.
 */
class AnonymousContextTest {
  private static final String VIP = "vip-customer-0001";
  private static final EvaluationContext USER = EvaluationContext.of(VIP);
  private static final EvaluationContext COOKIE =
      EvaluationContext.builder(VIP).anonymous(true).build();

  @Test
  void anonymousCookieEqualToAUsersKeyIsNotIndividuallyTargeted() {
    Flag vip = Flag.builder("vip").fallthrough(false).target(true, VIP).build();
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(vip)).build()) {
      assertThat(flags.getBooleanDetail("vip", USER, false).reason().kind())
          .isEqualTo(EvaluationReason.Kind.TARGET_MATCH);
      EvaluationDetail<Boolean> cookie = flags.getBooleanDetail("vip", COOKIE, false);
      assertThat(cookie.value()).isFalse();
      assertThat(cookie.reason().kind()).isEqualTo(EvaluationReason.Kind.FALLTHROUGH);
    }
  }

  @Test
  void anonymousCookieEqualToAnIncludedKeyIsNotInTheSegment() {
    Segment vips = Segment.builder("vips").include(VIP).build();
    Flag flag =
        Flag.builder("vip_area")
            .fallthrough(false)
            .rule(Rule.when(Clause.inSegment("vips")).serve(true))
            .build();
    try (Flags flags =
        Flags.builder()
            .store(InMemoryFlagStore.of(FlagSet.of(List.of(flag), List.of(vips))))
            .build()) {
      assertThat(flags.isEnabled("vip_area", USER)).isTrue();
      assertThat(flags.isEnabled("vip_area", COOKIE)).isFalse();
    }
  }

  @Test
  void segmentRulesStillApplyToAnonymousContextsAndExclusionsDoNot() {
    Segment visitors =
        Segment.builder("visitors").exclude(VIP).rule(Clause.in("anonymous", true)).build();
    Segment everyone =
        Segment.builder("everyone").exclude(VIP).rule(Clause.in("plan", "free")).build();
    Flag flag =
        Flag.builder("banner")
            .fallthrough(false)
            .rule(Rule.when(Clause.inSegment("visitors", "everyone")).serve(true))
            .build();
    EvaluationContext freeUser = EvaluationContext.builder(VIP).set("plan", "free").build();
    EvaluationContext freeCookie = freeUser.toBuilder().anonymous(true).build();
    try (Flags flags =
        Flags.builder()
            .store(InMemoryFlagStore.of(FlagSet.of(List.of(flag), List.of(visitors, everyone))))
            .build()) {
      assertThat(flags.isEnabled("banner", freeUser)).as("the user is excluded").isFalse();
      assertThat(flags.isEnabled("banner", COOKIE)).as("a visitor, by the rule").isTrue();
      assertThat(flags.isEnabled("banner", freeCookie)).as("not that user").isTrue();
    }
  }

  @Test
  void rulesOnTheKeyAndRolloutsTreatAnonymousContextsLikeAnyOther() {
    Flag byRule =
        Flag.builder("by_rule")
            .fallthrough(false)
            .rule(Rule.when(Clause.in("key", VIP)).serve(true))
            .build();
    Flag rollout = Flag.builder("rollout").percentageRollout(50).build();
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(byRule, rollout)).build()) {
      assertThat(flags.isEnabled("by_rule", COOKIE)).isTrue();
      assertThat(flags.getBooleanDetail("rollout", COOKIE, false))
          .isEqualTo(flags.getBooleanDetail("rollout", USER, false));
    }
  }
}
