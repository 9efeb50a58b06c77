package dev.medley.config;

import java.time.Instant;

/**
 * A route on its way out: answered as usual, with headers telling clients when it stops and what
 * replaces it.
 *
 * @param since when the route was (or will be) deprecated; sent as {@code Deprecation: @<epoch
 *     seconds>} (RFC 9745)
 * @param sunset when the route stops being served, or null when not yet planned; sent as {@code
 *     Sunset: <HTTP-date>} (RFC 8594); never before {@code since}
 * @param successor path or URL of the replacement, or null; may use the route's path parameters
 *     ({@code /web/v2/products/{id}}); sent as {@code Link: <...>; rel="successor-version"}
 * @param at where {@code deprecated} was written
 */
public record DeprecationSpec(Instant since, Instant sunset, Text successor, Src at) {}
