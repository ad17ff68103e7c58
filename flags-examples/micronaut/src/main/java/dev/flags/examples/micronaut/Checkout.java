package dev.flags.examples.micronaut;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What the checkout serves to one user, as {@code GET /checkout} answers it.
 *
 * @param user the context key the flags were evaluated for
 * @param flow {@code new} (the canary) or {@code classic}
 * @param gateway {@code beta} or {@code legacy}
 * @param layout {@code dark} or {@code light}
 * @param banner whether the summer sale banner shows
 */
@Serdeable
public record Checkout(String user, String flow, String gateway, String layout, boolean banner) {}
