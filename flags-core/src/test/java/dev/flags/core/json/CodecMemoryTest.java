package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What reading costs in memory: bytes allocated by this thread while decoding (an upper bound of
 * what is held at once). The peak heap of the same documents, measured with a bisected {@code
 * -Xmx}, is in docs/limits.md.
 */
class CodecMemoryTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int MIB = 1024 * 1024;

  /** A codec whose limits let a large document through, to see what the reading itself costs. */
  private static final FlagCodec ROOMY =
      FlagCodec.builder()
          .maxDocumentBytes(Integer.MAX_VALUE - 8)
          .maxDefinitionBytes(Integer.MAX_VALUE - 8)
          .build();

  private static long allocatedBy(Runnable decode) {
    long id = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(id);
    decode.run();
    return THREADS.getThreadAllocatedBytes(id) - before;
  }

  /** {@code {"variations":[0,0,…]}} of about {@code bytes}, then {@code tail}. */
  private static byte[] zeros(int bytes, String head, String tail) {
    StringBuilder sb = new StringBuilder(bytes + 64).append(head).append("[0");
    while (sb.length() < bytes) {
      sb.append(",0");
    }
    return sb.append(']').append(tail).toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static Runnable expectFormatError(Supplier<?> decode) {
    return () -> assertThatThrownBy(decode::get).isInstanceOf(FlagFormatException.class);
  }

  @Test
  void aLargeMalformedDocumentNoLongerCostsFiftyTimesItsSize() {
    // The document: the reference decoder built a tree of 55 bytes per byte before it
    // found the 'x'; now the syntax check finds it without building anything.
    byte[] doc = zeros(16 * MIB, "{\"variations\":", "}x");
    long allocated = allocatedBy(expectFormatError(() -> ROOMY.decodeFlag("big", doc)));
    assertThat(allocated)
        .as("bytes allocated for %d bytes", doc.length)
        .isLessThan(12L * doc.length);
  }

  @Test
  void aLargeValidDocumentCostsAFewTimesItsSize() {
    byte[] doc = zeros(16 * MIB, "{\"fallthrough\":{\"variation\":0},\"variations\":[", ",1]}");
    long allocated = allocatedBy(() -> assertThat(ROOMY.decodeFlag("big", doc)).isNotNull());
    assertThat(allocated)
        .as("bytes allocated for %d bytes", doc.length)
        .isLessThan(12L * doc.length);
  }

  @Test
  void aFlagOverTheDefinitionLimitIsRefusedBeforeItIsRead() {
    byte[] doc = zeros(8 * MIB, "{\"variations\":", "}");
    long allocated =
        allocatedBy(expectFormatError(() -> FlagCodec.standard().decodeFlag("big", doc)));
    assertThat(allocated).isLessThan(64 * 1024);
    assertThatThrownBy(() -> FlagCodec.standard().decodeFlag("big", doc))
        .hasMessage(
            "the flag definition has "
                + doc.length
                + " bytes, over the limit of 4194304 (FlagCodec.Builder.maxDefinitionBytes)");
  }

  @Test
  void anEntryOverTheDefinitionLimitCostsASetLittleAndNamesItsPath() {
    byte[] doc =
        zeros(
            16 * MIB,
            "{\"flags\":{\"small\":true,\"big\":{\"fallthrough\":{\"variation\":0},\"variations\":[",
            ",1]}}}");
    long allocated = allocatedBy(expectFormatError(() -> FlagCodec.standard().decodeFlagSet(doc)));
    // The text itself (one copy), what the fast decoder built of the entry's first 4 MiB, then
    // scans: about twice the document, where reading the entry would cost nine times it.
    assertThat(allocated).isLessThan(3L * doc.length);
    assertThatThrownBy(() -> FlagCodec.standard().decodeFlagSet(doc))
        .hasMessageStartingWith(
            "flags.big: the flag definition has "
                + (doc.length - 31)
                + " characters, over the limit of 4194304 (FlagCodec.Builder.maxDefinitionBytes)"
                + " (line 1, column 30)");
    FlagSet small = FlagCodec.standard().decodeFlagSet("{\"flags\":{\"small\":true}}");
    assertThat(small.flags()).containsEntry("small", Flag.simple("small", true));
  }
}
