/** The JSON flag format: {@link dev.flags.core.json.FlagCodec} reads and writes it. */
package dev.flags.core.json;
