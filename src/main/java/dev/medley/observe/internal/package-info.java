/**
 * How observability is done (not API): a Micrometer registry (JVM, policy and state meters) whose
 * request-path series are our own striped histograms ({@link
 * dev.medley.observe.internal.RequestSeries}), OpenTelemetry spans, the access log writer and
 * explain mode, plugged into a gateway by {@link dev.medley.observe.internal.Observability}.
 */
package dev.medley.observe.internal;
