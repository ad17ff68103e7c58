package dev.flags.benchmarks;

import dev.flags.core.json.FlagCodec;
import dev.flags.core.json.FlagFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one generated document of a given kind and size, for {@code
 * flags-benchmarks/scripts/codec-memory.sh}, which bisects the smallest {@code -Xmx} in which it
 * completes (docs/limits.md, "Codec memory"). Exit status 0: decoded, or refused with a {@link
 * FlagFormatException}; 3: out of memory. A main; not thread-safe.
 *
 * <p>Kinds: {@code zeros-issue} (the issue's {@code {"variations":[0,0,…]}x}), {@code zeros-valid}
 * (one variation holding the zeros), {@code strings-valid} (short distinct strings), {@code
 * targets-valid} (one target of many keys), {@code set-valid} (realistic flags), {@code
 * set-malformed} (the same, {@code x} at the end), {@code set-bigentry} (a set whose one flag is
 * the whole document). A {@code limited-} prefix keeps the codec's default definition limit (1
 * MiB); otherwise both size limits are lifted, to measure what reading itself costs.
 */
public final class CodecMemoryMain {
  private CodecMemoryMain() {}

  public static void main(String[] args) {
    String kind = args[0];
    int bytes = Integer.parseInt(args[1]) << 20;
    boolean limited = kind.startsWith("limited-");
    String base = limited ? kind.substring("limited-".length()) : kind;
    byte[] doc = document(base, bytes);
    FlagCodec.Builder b = FlagCodec.builder().maxDocumentBytes(Integer.MAX_VALUE - 8);
    if (!limited) {
      b.maxDefinitionBytes(Integer.MAX_VALUE - 8);
    }
    FlagCodec codec = b.build();
    try {
      Object decoded =
          base.startsWith("set") ? codec.decodeFlagSet(doc) : codec.decodeFlag("big", doc);
      System.out.println("ok " + decoded.getClass().getSimpleName());
    } catch (FlagFormatException e) {
      String m = String.valueOf(e.getMessage());
      System.out.println("refused: " + m.substring(0, Math.min(160, m.length())));
      if (m.startsWith("not enough memory")) {
        System.exit(3);
      }
    } catch (OutOfMemoryError e) {
      System.out.println("OutOfMemoryError");
      System.exit(3);
    }
  }

  static byte[] document(String kind, int bytes) {
    StringBuilder sb = new StringBuilder(bytes + 64);
    switch (kind) {
      case "zeros-issue" -> {
        sb.append("{\"variations\":[0");
        while (sb.length() < bytes - 4) {
          sb.append(",0");
        }
        sb.append("]}x");
      }
      case "zeros-valid" -> {
        sb.append("{\"fallthrough\":{\"variation\":0},\"variations\":[[0");
        while (sb.length() < bytes - 6) {
          sb.append(",0");
        }
        sb.append("],1]}");
      }
      case "strings-valid" -> {
        sb.append("{\"fallthrough\":{\"variation\":0},\"variations\":[[\"a0\"");
        int i = 1;
        while (sb.length() < bytes - 16) {
          sb.append(",\"a").append(i++ % 100_000).append('"');
        }
        sb.append("]]}");
      }
      case "targets-valid" -> {
        sb.append("{\"targets\":[{\"variation\":1,\"values\":[\"u0\"");
        int i = 1;
        while (sb.length() < bytes - 16) {
          sb.append(",\"u").append(i++).append('"');
        }
        sb.append("]}]}");
      }
      case "set-valid", "set-malformed" -> {
        sb.append("{\"flags\":{");
        int i = 0;
        while (sb.length() < bytes - 400) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append("\"flag_")
              .append(i)
              .append("\":{\"version\":3,\"fallthrough\":{\"rollout\":{\"weights\":[")
              .append("{\"variation\":1,\"weight\":10000},{\"variation\":0,\"weight\":90000}]}},")
              .append("\"rules\":[{\"id\":\"r\",\"clauses\":[{\"attribute\":\"country\",")
              .append(
                  "\"op\":\"in\",\"values\":[\"DE\",\"FR\"]}],\"variation\":1}],\"owner\":\"team-")
              .append(i % 50)
              .append("\"}");
          i++;
        }
        sb.append("}}");
        if (kind.equals("set-malformed")) {
          sb.append('x');
        }
      }
      case "set-bigentry" -> {
        sb.append("{\"flags\":{\"big\":{\"fallthrough\":{\"variation\":0},\"variations\":[[0");
        while (sb.length() < bytes - 8) {
          sb.append(",0");
        }
        sb.append("],1]}}}");
      }
      default -> throw new IllegalArgumentException("unknown kind " + kind);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
