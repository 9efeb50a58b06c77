/**
 * Observability's public face: the names of every metric, span and log field ({@link
 * dev.medley.observe.TelemetryNames}) and the {@link dev.medley.observe.Metrics} recorder other
 * packages call. The implementation (Micrometer, OpenTelemetry, access log, explain) is in {@code
 * internal}.
 */
package dev.medley.observe;
