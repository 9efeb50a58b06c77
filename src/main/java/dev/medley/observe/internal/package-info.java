/**
 * How observability is done (not API): Micrometer meters, OpenTelemetry spans, the access log
 * writer and explain mode, plugged into a gateway by {@link
 * dev.medley.observe.internal.Observability}.
 */
package dev.medley.observe.internal;
