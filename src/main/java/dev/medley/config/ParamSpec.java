package dev.medley.config;

/**
 * Validation for one path or query parameter. A value that fails is a 400 before any upstream call.
 *
 * @param name parameter name
 * @param type {@code string} (default), {@code integer}, {@code number} or {@code boolean}
 * @param pattern a regular expression the whole value must match; null for none
 * @param required for query parameters: a missing one is a 400 (path parameters are always present)
 * @param defaultValue for query parameters: the value used when absent; null for none
 * @param maxLength longest accepted value in characters, 1024 by default
 * @param allowEncodedSlashes path parameters only: true accepts {@code %2F} and {@code %5C} in the
 *     value (sent upstream still encoded, inside one segment); false by default, refusing them with
 *     a 400, because servers that decode them would call another path. Dot-segments are refused
 *     either way.
 * @param at where it was declared
 */
public record ParamSpec(
    String name,
    String type,
    String pattern,
    boolean required,
    String defaultValue,
    int maxLength,
    boolean allowEncodedSlashes,
    Src at) {}
