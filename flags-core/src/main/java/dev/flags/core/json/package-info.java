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
 *   <li>A number is accepted only if the form the writer gives it ({@code BigDecimal.toString()})
 *       can be read back: {@code 11e1000} would be written {@code 1.1E+1001}, over the exponent
 *       limit, so it is refused when read, with its path, and {@code decode(encode(x))} equals
 *       {@code x} for everything decode accepts.
 * </ul>
 *
 * <p>Implementation classes are package-private: a fast decoder, a syntax checker and a cursor
 * decoder for the reference road ({@code SyntaxChecker}, {@code Node}, {@code FlagDecoder}), a
 * strict UTF-8 check, and a canonical writer ({@code JsonWriter}).
 *
 * <p>Decoding takes two roads. {@code FastDecoder} reads a document straight from its text into the
 * model, with no bookkeeping for error messages, and gives up at the first thing that is wrong or
 * unusual (escaped member names, surrogates, duplicate keys in a list that becomes a set, a model
 * rule broken). Then the reference reads the document again and either returns the same value or
 * throws the exact error: {@code SyntaxChecker} first checks the whole text without building
 * anything (so a malformed document of any size costs one scan), then {@code FlagDecoder} maps it
 * to the model through {@code Node} cursors made on demand, never a tree. Errors thus come from one
 * place only; the fast road must accept nothing the reference rejects and build an equal value,
 * which {@code FastDecoderTest} checks against the reference on fixtures, generated flags and
 * mutated documents.
 *
 * <p>Memory: reading holds the text and the model, plus transient arrays; measured peaks are in
 * {@code docs/limits.md} (a document costs at most about 12 times its size, 4 to 6 times for
 * realistic flags; the tree this replaced cost 55 times). A definition over {@code
 * maxDefinitionBytes} is refused before it is read alone, and as soon as it is seen in a set.
 */
@NullMarked
package dev.flags.core.json;

import org.jspecify.annotations.NullMarked;
