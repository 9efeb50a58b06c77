/**
 * Assembles a running gateway from a config: plan, upstream clients, public and admin listeners.
 * Start with {@link dev.medley.gateway.Gateway}.
 */
package dev.medley.gateway;
