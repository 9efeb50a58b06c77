/**
 * The admin port: liveness, readiness, the active plan view and operator endpoints, separate from
 * public traffic. Start with {@link dev.medley.admin.AdminServer}; {@link
 * dev.medley.admin.Readiness} documents when the gateway is ready.
 */
package dev.medley.admin;
