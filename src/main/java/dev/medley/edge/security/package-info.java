/**
 * The edge's security layer: header sanitising, CORS, request limits, per-route access (JWT,
 * scopes, rate limits, body rules) and claim forwarding, compiled once per plan. Start with {@link
 * dev.medley.edge.security.EdgeSecurity}, which assembles the filters in their order.
 */
package dev.medley.edge.security;
