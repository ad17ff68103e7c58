package dev.flags.integration.kit;

import dev.flags.core.JsonValue;

/**
 * The flags' health as a framework renders it, read back: UP or DOWN, and the details.
 *
 * @param up whether the framework reports the flags UP
 * @param details the details object as rendered
 */
public record KitHealth(boolean up, JsonValue.Obj details) {}
