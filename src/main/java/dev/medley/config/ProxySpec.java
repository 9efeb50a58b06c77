package dev.medley.config;

import java.time.Duration;
import java.util.Map;

/**
 * A pass-through route's one upstream call ({@code proxy:} instead of {@code steps:}): the
 * upstream's answer goes back to the client unparsed, with its status, body bytes and headers (hop-
 * by-hop ones dropped).
 *
 * @param upstream name of the upstream to call
 * @param method the method sent upstream; the route's own by default
 * @param path RFC 6570 path template, percent-encoded like a step's
 * @param query query parameters sent upstream: name to template
 * @param headers extra headers sent upstream: name to template
 * @param timeout per-call timeout overriding the upstream's, or null; still capped by the deadline
 * @param at where {@code proxy:} is written
 */
public record ProxySpec(
    String upstream,
    String method,
    Text path,
    Map<String, Text> query,
    Map<String, Text> headers,
    Duration timeout,
    Src at) {}
