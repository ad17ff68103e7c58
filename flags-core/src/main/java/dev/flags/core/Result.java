package dev.flags.core;

import org.jspecify.annotations.Nullable;

/**
 * An evaluation result packed into a {@code long}, so evaluation allocates nothing:
 *
 * <pre>
 * bits  0..15  variation index + 1 (0: none, the caller's default)
 * bits 16..19  EvaluationReason.Kind ordinal
 * bits 20..23  EvaluationReason.ErrorKind ordinal + 1 (0: none)
 * bits 24..43  rule index + 1, or prerequisite index + 1 for PREREQUISITE_FAILED (0: none)
 * bits 44..61  bucket + 1 (0: no bucket)
 * </pre>
 */
// Ordinals are the packing itself; a packed result never outlives the running code (it is neither
// stored nor sent), so reordering an enum cannot misread one.
@SuppressWarnings("EnumOrdinal")
final class Result {
  private static final EvaluationReason.Kind[] KINDS = EvaluationReason.Kind.values();
  private static final EvaluationReason.ErrorKind[] ERRORS = EvaluationReason.ErrorKind.values();

  private Result() {}

  static long served(int variation, EvaluationReason.Kind kind, int index, int bucket) {
    return (variation + 1L)
        | ((long) kind.ordinal() << 16)
        | ((index + 1L) << 24)
        | ((bucket + 1L) << 44);
  }

  static long error(EvaluationReason.ErrorKind error) {
    return ((long) EvaluationReason.Kind.ERROR.ordinal() << 16) | ((error.ordinal() + 1L) << 20);
  }

  static int variation(long r) {
    return (int) (r & 0xFFFF) - 1;
  }

  static EvaluationReason.Kind kind(long r) {
    return KINDS[(int) ((r >>> 16) & 0xF)];
  }

  static EvaluationReason.@Nullable ErrorKind errorKind(long r) {
    int e = (int) ((r >>> 20) & 0xF);
    return e == 0 ? null : ERRORS[e - 1];
  }

  static int index(long r) {
    return (int) ((r >>> 24) & 0xFFFFF) - 1;
  }

  static int bucket(long r) {
    return (int) ((r >>> 44) & 0x3FFFF) - 1;
  }

  /** The reason object, built only for the detail methods. */
  /** {@code flag} is null only for results no flag gave (a missing flag, an error). */
  static EvaluationReason reason(long r, @Nullable CompiledFlag flag) {
    switch (kind(r)) {
      case OFF:
        return EvaluationReason.off();
      case TARGET_MATCH:
        return EvaluationReason.targetMatch();
      case FALLTHROUGH:
        return EvaluationReason.fallthrough(bucket(r));
      case RULE_MATCH:
        return EvaluationReason.ruleMatch(
            index(r), flag == null ? "" : flag.ruleId(index(r)), bucket(r));
      case PREREQUISITE_FAILED:
        return EvaluationReason.prerequisiteFailed(
            flag == null ? "" : flag.prerequisiteKey(index(r)));
      default:
        EvaluationReason.ErrorKind e = errorKind(r);
        return EvaluationReason.error(e == null ? EvaluationReason.ErrorKind.EXCEPTION : e);
    }
  }
}
