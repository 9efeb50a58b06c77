package dev.medley.observe;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.function.Consumer;

/**
 * Where telemetry goes instead of its configured place, for tests and for programs that embed the
 * gateway. Null fields keep the configured behaviour.
 *
 * @param spanExporter receives every span as soon as it ends, whatever {@code
 *     observe.tracing.exporter} says (spans are then always made, with the configured sample ratio)
 * @param accessLogLines receives each access log line (without its newline) on the access log's own
 *     thread, instead of the configured target
 */
public record ObserveHooks(SpanExporter spanExporter, Consumer<String> accessLogLines) {
  public static final ObserveHooks NONE = new ObserveHooks(null, null);
}
