package dev.medley.cache;

import dev.medley.observe.TelemetryNames;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Request coalescing, the outermost policy of an upstream: GET and HEAD calls identical in method,
 * path and query, headers (the request id aside) and body, made while one of them is in flight,
 * share that one call (the request id and trace context aside). A failure reaches every caller that
 * shared it and is not remembered; the next call goes upstream again. Other methods always go
 * through: they may change something upstream.
 *
 * <p>Only headers on the request when it enters the chain are compared, so whatever makes a call
 * differ per user (forwarded claims, user tokens) must already be on it then, as the engine does.
 */
final class Coalescer implements UpstreamPolicy {
  /**
   * Headers that only identify the request (its id and trace context); they never change an answer.
   */
  private static final java.util.Set<String> PER_REQUEST =
      java.util.Set.of(
          TelemetryNames.H_REQUEST_ID, TelemetryNames.H_TRACEPARENT, TelemetryNames.H_TRACESTATE);

  private final Flight<String, UpstreamResponse> flights = new Flight<>();
  private final CacheCounters counters;
  private final Clock clock;

  Coalescer(CacheCounters counters, Clock clock) {
    this.counters = counters;
    this.clock = clock;
  }

  @Override
  public Future<UpstreamResponse> apply(UpstreamRequest r, UpstreamCall next) {
    if (!"GET".equals(r.method()) && !"HEAD".equals(r.method())) {
      return next.call(r);
    }
    Flight.Ticket<UpstreamResponse> t = flights.join(key(r), () -> next.call(r));
    if (t.leader()) {
      return t.outcome();
    }
    counters.coalescedCalls.increment();
    return t.outcome()
        .map(Coalescer::withoutCookies)
        .recover(e -> Future.failedFuture(asOwn(e, r)));
  }

  /**
   * The shared answer as a caller that did not send it sees it: the body and status are shared, the
   * cookies an upstream set are the sender's alone (a route copying {@code Set-Cookie} must never
   * hand one client's session to another).
   */
  private static UpstreamResponse withoutCookies(UpstreamResponse resp) {
    if (!resp.headers().contains("set-cookie")) {
      return resp;
    }
    io.vertx.core.MultiMap h =
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(resp.headers());
    h.remove("set-cookie");
    return new UpstreamResponse(resp.status(), h, resp.body());
  }

  /**
   * The shared failure as this caller sees it: the leader's deadline is not this caller's, so a
   * deadline failure becomes a plain timeout while this caller's own deadline has not passed.
   */
  private Throwable asOwn(Throwable e, UpstreamRequest r) {
    if (e instanceof UpstreamException u
        && u.kind() == UpstreamException.Kind.DEADLINE
        && r.deadlineNanos() > clock.nanoTime()) {
      return new UpstreamException(UpstreamException.Kind.TIMEOUT, u.upstream(), u.getMessage());
    }
    return e;
  }

  static String key(UpstreamRequest r) {
    StringBuilder sb =
        new StringBuilder(128).append(r.method()).append(' ').append(r.pathAndQuery());
    if (r.headers() != null) {
      List<String> lines = new ArrayList<>();
      for (Map.Entry<String, String> h : r.headers()) {
        String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
        if (!PER_REQUEST.contains(name)) {
          lines.add(name + ": " + h.getValue());
        }
      }
      lines.sort(null);
      lines.forEach(l -> sb.append('\n').append(l));
    }
    if (r.body() != null) {
      sb.append("\n\n").append(r.body().toString(StandardCharsets.ISO_8859_1));
    }
    return sb.toString();
  }
}
