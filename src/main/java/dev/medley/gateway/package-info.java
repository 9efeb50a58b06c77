/**
 * Assembles a running gateway from a config and keeps it running: plan, upstream clients, public
 * and admin listeners, hot reload (file watching, {@code POST /admin/reload}), readiness and
 * graceful shutdown. Start with {@link dev.medley.gateway.Gateway}; reloads go through {@code
 * Reloader}, and {@code PlanLeases} keeps each request on the plan it started with.
 */
package dev.medley.gateway;
