package dev.medley.config;

/**
 * Sends a share of a route's traffic to another route of the same experience, e.g. a new
 * composition under test.
 *
 * @param to the key of the route that takes the share, e.g. {@code GET /v3/products/{id}}: same
 *     experience, same method, same path parameter names
 * @param weightBasisPoints the share in hundredths of a percent (written {@code 5%} = 500), 0 to
 *     10000
 * @param sticky what keeps one client on one side: {@code claim.<name>}, {@code header:<name>} or
 *     {@code ip}; null picks at random per request
 * @param at where {@code canary.to} was written: errors about the target point there
 */
public record CanarySpec(String to, int weightBasisPoints, String sticky, Src at) {}
