/**
 * The admin port: health, readiness and operator endpoints, separate from public traffic.
 * Start with {@link dev.medley.admin.AdminServer}.
 */
package dev.medley.admin;
