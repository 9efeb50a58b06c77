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
 * @param repeated query parameters only: every occurrence is kept ({@code ?b=2&b=3}), each checked
 *     against the rules; expressions read a list, and a step's query template that is exactly this
 *     parameter sends it as repeated parameters. False by default: only the first value is read
 * @param maxItems with {@code repeated}: most values accepted, 20 by default; more is a 400
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
    boolean repeated,
    int maxItems,
    Src at) {}
