package dev.medley.observe.internal;

import static dev.medley.observe.TelemetryNames.A_CACHE;
import static dev.medley.observe.TelemetryNames.A_ERROR_TYPE;
import static dev.medley.observe.TelemetryNames.A_EXPERIENCE;
import static dev.medley.observe.TelemetryNames.A_HTTP_METHOD;
import static dev.medley.observe.TelemetryNames.A_HTTP_ROUTE;
import static dev.medley.observe.TelemetryNames.A_HTTP_STATUS;
import static dev.medley.observe.TelemetryNames.A_OUTCOME;
import static dev.medley.observe.TelemetryNames.A_PARTIAL;
import static dev.medley.observe.TelemetryNames.A_REQUEST_ID;
import static dev.medley.observe.TelemetryNames.A_RETRY;
import static dev.medley.observe.TelemetryNames.A_STEP;
import static dev.medley.observe.TelemetryNames.A_UPSTREAM;
import static dev.medley.observe.TelemetryNames.A_VERSION;

import dev.medley.config.ObserveSpec;
import dev.medley.edge.EdgeRequest;
import dev.medley.engine.StepTrace;
import dev.medley.observe.TelemetryNames;
import dev.medley.upstream.UpstreamRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * W3C trace context in and out, and spans when an exporter is configured. Without one (the default)
 * Medley is transparent: a valid inbound {@code traceparent}/{@code tracestate} goes to every
 * upstream call unchanged and no span is made. With one, each request gets a SERVER span (child of
 * the inbound context) and each upstream attempt a CLIENT span under it, whose context the upstream
 * receives.
 */
final class Tracing implements AutoCloseable {
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<MultiMap> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(MultiMap carrier) {
          return carrier.names();
        }

        @Override
        public String get(MultiMap carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  /** The trace side of one request: its span (null when not tracing) and what upstreams receive. */
  record ServerTrace(Span span, String traceId, Map<String, String> propagated) {
    static final ServerTrace EMPTY = new ServerTrace(null, null, Map.of());
  }

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Tracing(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get("dev.medley");
  }

  static Tracing create(ObserveSpec.Tracing spec, SpanExporter override) {
    SpanProcessor processor;
    if (override != null) {
      processor = SimpleSpanProcessor.create(override);
    } else if (ObserveSpec.Tracing.LOGGING.equals(spec.exporter())) {
      processor = BatchSpanProcessor.builder(LoggingSpanExporter.create()).build();
    } else if (ObserveSpec.Tracing.OTLP.equals(spec.exporter())) {
      processor =
          BatchSpanProcessor.builder(
                  OtlpHttpSpanExporter.builder().setEndpoint(spec.endpoint()).build())
              .build();
    } else {
      return new Tracing(null);
    }
    warmUp();
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), spec.serviceName())));
    return new Tracing(
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(spec.sampleRatio())))
            .addSpanProcessor(processor)
            .build());
  }

  /**
   * Starts, propagates and ends a span on a provider that exports nowhere, so the SDK's classes are
   * loaded here, at start, rather than by the first request on an event loop.
   */
  private static void warmUp() {
    SdkTracerProvider scratch = SdkTracerProvider.builder().build();
    Span span =
        scratch
            .get("warm-up")
            .spanBuilder("warm-up")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(A_HTTP_METHOD, "GET")
            .startSpan();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    W3C.inject(Context.root().with(span), headers, MultiMap::set);
    Span child =
        scratch
            .get("warm-up")
            .spanBuilder("warm-up")
            .setParent(W3C.extract(Context.root(), headers, HEADERS))
            .startSpan();
    child.setStatus(StatusCode.ERROR);
    child.end();
    span.end();
    scratch.close();
  }

  /** True when spans are made (an exporter is configured). */
  boolean recording() {
    return tracer != null;
  }

  /** Reads the inbound context and, when tracing, starts the request's server span. */
  ServerTrace start(EdgeRequest req) {
    MultiMap headers = req.headers();
    boolean inbound = headers.get(TelemetryNames.H_TRACEPARENT) != null;
    if (tracer == null) {
      return inbound ? passThrough(headers) : ServerTrace.EMPTY;
    }
    Context parent = inbound ? W3C.extract(Context.root(), headers, HEADERS) : Context.root();
    Span span =
        tracer
            .spanBuilder(req.method())
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(A_HTTP_METHOD, req.method())
            .setAttribute(A_REQUEST_ID, req.requestId())
            .startSpan();
    return new ServerTrace(span, span.getSpanContext().getTraceId(), inject(parent.with(span)));
  }

  private static ServerTrace passThrough(MultiMap headers) {
    String tp = headers.get(TelemetryNames.H_TRACEPARENT);
    if (!TraceParent.valid(tp)) {
      return ServerTrace.EMPTY; // a malformed traceparent is dropped, never forwarded
    }
    String ts = headers.get(TelemetryNames.H_TRACESTATE);
    Map<String, String> out =
        ts == null
            ? Map.of(TelemetryNames.H_TRACEPARENT, tp)
            : Map.of(TelemetryNames.H_TRACEPARENT, tp, TelemetryNames.H_TRACESTATE, ts);
    return new ServerTrace(null, TraceParent.traceId(tp), out);
  }

  private static Map<String, String> inject(Context ctx) {
    Map<String, String> out = new HashMap<>(4);
    W3C.inject(ctx, out, Map::put);
    return out;
  }

  /** Names and finishes the server span once the answer is known. */
  void end(ServerTrace t, RouteMeters route, int status, List<StepTrace> steps) {
    Span span = t.span();
    if (span == null) {
      return;
    }
    if (span.isRecording()) {
      if (route.spanName != null) {
        span.updateName(route.spanName);
        span.setAttribute(A_HTTP_ROUTE, route.template);
        span.setAttribute(A_EXPERIENCE, route.experience);
        span.setAttribute(A_VERSION, route.version);
      }
      span.setAttribute(A_HTTP_STATUS, status);
      String partial = degraded(steps);
      if (partial != null) {
        span.setAttribute(A_PARTIAL, partial);
      }
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(A_ERROR_TYPE, Integer.toString(status));
      }
    }
    span.end();
  }

  private static String degraded(List<StepTrace> steps) {
    StringBuilder sb = null;
    for (StepTrace s : steps) {
      if (TelemetryNames.STEP_DEGRADED.equals(s.outcome())) {
        sb = sb == null ? new StringBuilder() : sb.append(',');
        sb.append(s.step());
      }
    }
    return sb == null ? null : sb.toString();
  }

  /**
   * Starts the span of one upstream attempt under the context the request carries (the server span)
   * and returns the request to send instead, carrying the attempt's own context.
   */
  Attempt startAttempt(String spanName, String upstream, UpstreamRequest r) {
    Context parent = W3C.extract(Context.root(), r.headers(), HEADERS);
    Span span =
        tracer
            .spanBuilder(spanName)
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(A_STEP, r.step())
            .setAttribute(A_UPSTREAM, upstream)
            .setAttribute(A_HTTP_METHOD, r.method())
            .setAttribute(A_RETRY, r.notes().attempts())
            .setAttribute(
                A_CACHE,
                r.notes().cache() == null ? TelemetryNames.NONE : r.notes().cache().label())
            .startSpan();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(r.headers());
    W3C.inject(parent.with(span), headers, MultiMap::set);
    return new Attempt(span, r.withHeaders(headers));
  }

  /** An attempt span and the request that carries its context. */
  record Attempt(Span span, UpstreamRequest request) {}

  /** Finishes an attempt span; {@code status} is 0 when no answer came back. */
  static void endAttempt(Span span, int status, String outcome, boolean failed) {
    if (span.isRecording()) {
      if (status > 0) {
        span.setAttribute(A_HTTP_STATUS, status);
      }
      span.setAttribute(A_OUTCOME, outcome);
      if (failed || status >= 500) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(A_ERROR_TYPE, outcome);
      }
    }
    span.end();
  }

  /** Flushes and stops the exporter; blocks up to 10 s, so call it off the event loop. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
