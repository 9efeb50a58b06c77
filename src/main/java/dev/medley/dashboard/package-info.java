/**
 * The operator dashboard on the admin port ({@code /dashboard}): what it records while the gateway
 * serves (sampled requests, a one-minute window per upstream, breaker states) and how it renders
 * the plan's step graphs. The gateway wires it in; start reading at {@link
 * dev.medley.dashboard.Dashboard}.
 */
package dev.medley.dashboard;
