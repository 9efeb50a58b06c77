package dev.medley.observe.internal;

import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Reply;
import dev.medley.edge.StateSource;
import dev.medley.engine.StepTrace;
import dev.medley.observe.TelemetryNames;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import java.util.List;

/**
 * The outermost edge filter: sees every request, matched or not. Before the route runs it counts
 * the request in flight, reads the inbound trace context and starts the server span; once the
 * answer is ready it records the RED and step metrics, ends the span, queues the access log line
 * and, when asked with the admin token, puts the explain output beside the body.
 */
final class ObserveFilter implements EdgeFilter {
  private final MicrometerMetrics metrics;
  private final Tracing tracing;
  private final AccessLog accessLog;
  private final Explain explain;
  private final Clock clock;

  ObserveFilter(
      MicrometerMetrics metrics,
      Tracing tracing,
      AccessLog accessLog,
      Explain explain,
      Clock clock) {
    this.metrics = metrics;
    this.tracing = tracing;
    this.accessLog = accessLog;
    this.explain = explain;
    this.clock = clock;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    metrics.inFlight().increment();
    Tracing.ServerTrace trace = tracing.start(req);
    if (!trace.propagated().isEmpty()) {
      req.propagated(trace.propagated());
    }
    boolean explained = explain.requested(req);
    Future<Reply> reply;
    try {
      reply = next.handle(req);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    if (!explained) {
      // Nothing replaces the reply: a listener on its own future (a two-argument Completable,
      // which Vert.x keeps as it is) rather than a transformation and a new future per page. It
      // runs before the edge server's, which is added after it.
      return reply.onComplete((r, failure) -> observed(req, trace, false, r));
    }
    return reply.transform(
        ar -> {
          Reply r = observed(req, trace, true, ar.succeeded() ? ar.result() : null);
          return r == null ? Future.failedFuture(ar.cause()) : Future.succeededFuture(r);
        });
  }

  /**
   * Records the answered request (null {@code r}: a failed future, the edge server's 500): metrics
   * in one pass, the span, the access line. Returns the reply to send, wrapped when explained.
   */
  private Reply observed(EdgeRequest req, Tracing.ServerTrace trace, boolean explained, Reply r) {
    metrics.inFlight().decrement();
    int status = r == null ? 500 : r.status();
    long now = clock.nanoTime();
    long nanos = now - req.startNanos();
    RouteMeters rm = metrics.route(req);
    List<StepTrace> steps = req.trace();
    rm.record(status, nanos, now, steps); // the page and its steps, in one pass
    tracing.end(trace, rm, status, steps);
    if (explained && r != null) {
      r = explain.wrap(r, req, trace.traceId(), rm, nanos);
    }
    accessLog.log(
        new AccessLine(
            clock.epochMillis() - nanos / 1_000_000L,
            req.requestId(),
            trace.traceId(),
            req.method(),
            rm.experience,
            rm.template == null ? TelemetryNames.UNMATCHED : rm.template,
            rm.version,
            status,
            nanos,
            steps,
            req.body() == null ? 0 : req.body().length(),
            bytesOut(req, r),
            req.attr(StateSource.RATE_LIMITS),
            req.attr(StateSource.CACHE)));
    return r;
  }

  /** Body bytes written: none for HEAD, which is answered like GET without its body. */
  private static long bytesOut(EdgeRequest req, Reply r) {
    return r == null || r.body() == null || "HEAD".equals(req.method()) ? 0 : r.body().length();
  }
}
