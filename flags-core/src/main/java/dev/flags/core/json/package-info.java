/**
 * The JSON flag format: {@link dev.flags.core.json.FlagCodec} reads and writes flags, segments,
 * flag sets and raw JSON values; {@link dev.flags.core.json.FlagFormatException} is the one
 * exception it throws for bad input. The format is specified in {@code docs/flag-format.md} and
 * described by the JSON Schema {@code docs/flag-schema.json}. For store authors and tools; an
 * application using a store does not need it.
 *
 * <p>Decisions, written down once:
 *
 * <ul>
 *   <li>Unknown members are ignored everywhere, so older readers accept newer writers; an optional
 *       member set to {@code null} counts as absent.
 *   <li>An unknown clause operator is kept and never matches, unless the codec is built with {@code
 *       rejectUnknownOperators(true)} (admin APIs, validation tools).
 *   <li>Lone surrogates are refused, escaped or not, because such a string has no UTF-8 form; the
 *       writer escapes one found in a model built in code rather than failing.
 *   <li>A bare {@code true}/{@code false} document is accepted in any letter case (people type it);
 *       everything else follows RFC 8259 strictly.
 *   <li>Errors carry the JSON path and the line and column of the value at fault; both are only
 *       computed when an error is reported.
 * </ul>
 *
 * <p>Implementation classes are package-private: a hand-written parser to a small tree ({@code
 * JsonParser}, {@code Node}), a strict UTF-8 decoder, the mapping to the model ({@code
 * FlagDecoder}) and a canonical writer ({@code JsonWriter}).
 *
 * <p>Decoding takes two roads. {@code FastDecoder} reads a document straight from its text into the
 * model, with no tree and no bookkeeping for error messages, and gives up at the first thing that
 * is wrong or unusual (escaped member names, surrogates, duplicate keys in a list that becomes a
 * set, a model rule broken). Then the tree decoder above, the reference, reads the document again
 * and either returns the same value or throws the exact error. Errors thus come from one place
 * only; the fast road must accept nothing the reference rejects and build an equal value, which
 * {@code FastDecoderTest} checks against the reference on fixtures, generated flags and mutated
 * documents. A bad document costs two partial reads, a good one a third of the time and memory of
 * the tree (see {@code docs/codec-performance.md}).
 */
package dev.flags.core.json;
