package dev.medley.observe.internal;

import dev.medley.observe.TelemetryNames;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The innermost policy of every upstream: sees each attempt (each retry too) just before it goes on
 * the wire. Records its latency and outcome, and when tracing gives it a CLIENT span whose context
 * replaces the request's {@code traceparent}.
 */
final class AttemptObserver implements UpstreamPolicy {
  private final String upstream;
  private final UpstreamMeters meters;
  private final Tracing tracing;
  private final Clock clock;
  private final ConcurrentHashMap<String, String> spanNames = new ConcurrentHashMap<>();

  AttemptObserver(String upstream, UpstreamMeters meters, Tracing tracing, Clock clock) {
    this.upstream = upstream;
    this.meters = meters;
    this.tracing = tracing;
    this.clock = clock;
  }

  @Override
  public Future<UpstreamResponse> apply(UpstreamRequest r, UpstreamCall next) {
    long start = clock.nanoTime();
    Span span = null;
    UpstreamRequest send = r;
    if (tracing.recording()) {
      String name = spanNames.computeIfAbsent(r.step(), TelemetryNames::attemptSpanName);
      Tracing.Attempt a = tracing.startAttempt(name, upstream, r);
      span = a.span();
      send = a.request();
    }
    Future<UpstreamResponse> f;
    try {
      f = next.call(send);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    Span s = span;
    // A listener on the attempt's own future, not andThen: it runs before the caller's (listeners
    // run in the order added) without an extra future per attempt.
    // A Completable (two arguments), which Vert.x takes as it is; a Handler would be wrapped.
    return f.onComplete(
        (response, failure) -> {
          int outcome =
              failure == null
                  ? UpstreamMeters.ofStatus(response.status())
                  : UpstreamMeters.ofFailure(failure);
          long now = clock.nanoTime();
          meters.record(outcome, now - start, now);
          if (s != null) {
            Tracing.endAttempt(
                s,
                failure == null ? response.status() : 0,
                UpstreamMeters.OUTCOMES[outcome],
                failure != null);
          }
        });
  }
}
