package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The snapshot's tables behave like maps through any sequence of changes. */
class FlagSnapshotTest {

  @Test
  void randomChangesKeepTheSnapshotEqualToAMap() {
    Random random = new Random(7);
    Map<String, CompiledFlag> flags = new HashMap<>();
    Map<String, CompiledSegment> segments = new HashMap<>();
    FlagSnapshot snapshot = FlagSnapshot.EMPTY;
    for (int step = 0; step < 20_000; step++) {
      // Few distinct keys, so puts replace and removals hit, and the tables grow and shrink.
      String key = "k" + random.nextInt(step < 10_000 ? 300 : 20);
      switch (random.nextInt(4)) {
        case 0 -> {
          CompiledFlag f = CompiledFlag.compile(Flag.builder(key).version(step).build());
          flags.put(key, f);
          snapshot = snapshot.withFlag(f);
        }
        case 1 -> {
          flags.remove(key);
          snapshot = snapshot.withoutFlag(key);
        }
        case 2 -> {
          CompiledSegment s = CompiledSegment.compile(Segment.builder(key).version(step).build());
          segments.put(key, s);
          snapshot = snapshot.withSegment(s);
        }
        default -> {
          segments.remove(key);
          snapshot = snapshot.withoutSegment(key);
        }
      }
      if (step % 97 == 0) {
        assertSame(snapshot, flags, segments);
      }
    }
    assertSame(snapshot, flags, segments);
    assertSame(FlagSnapshot.of(flags, segments), flags, segments);
  }

  @Test
  void aChangeLeavesTheOldSnapshotAsItWas() {
    CompiledFlag a = CompiledFlag.compile(Flag.simple("a", true));
    FlagSnapshot one = FlagSnapshot.EMPTY.withFlag(a);
    FlagSnapshot two = one.withFlag(CompiledFlag.compile(Flag.simple("a", false)));
    FlagSnapshot three = two.withoutFlag("a");
    assertThat(one.compiledFlag("a")).isSameAs(a);
    assertThat(two.compiledFlag("a").definition.on()).isFalse();
    assertThat(three.compiledFlag("a")).isNull();
    assertThat(three.flagCount()).isZero();
    assertThat(FlagSnapshot.EMPTY.compiledFlag("a")).isNull();
    // Keys equal but not identical to the stored ones are found too.
    assertThat(one.compiledFlag(new String("a".toCharArray()))).isSameAs(a);
  }

  private static void assertSame(
      FlagSnapshot snapshot,
      Map<String, CompiledFlag> flags,
      Map<String, CompiledSegment> segments) {
    assertThat(snapshot.flagCount()).isEqualTo(flags.size());
    assertThat(snapshot.segmentCount()).isEqualTo(segments.size());
    flags.forEach((k, v) -> assertThat(snapshot.compiledFlag(k)).isSameAs(v));
    segments.forEach((k, v) -> assertThat(snapshot.compiledSegment(k)).isSameAs(v));
    assertThat(snapshot.flags()).containsExactlyInAnyOrderElementsOf(flags.values());
    assertThat(snapshot.segments()).containsExactlyInAnyOrderElementsOf(segments.values());
    for (String absent : List.of("absent", "k-1", "k999")) {
      assertThat(snapshot.compiledFlag(absent)).isNull();
      assertThat(snapshot.compiledSegment(absent)).isNull();
    }
  }
}
