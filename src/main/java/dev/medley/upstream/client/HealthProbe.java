package dev.medley.upstream.client;

import dev.medley.config.HealthSpec;
import dev.medley.config.UpstreamSpec;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls an upstream's health path every interval, on the injected clock, with its own client (so
 * checks never queue behind traffic or trip traffic's policies). The upstream counts as down after
 * {@value #FAILURES_TO_DOWN} failed checks in a row and as up again after one success; before the
 * first check it is presumed up, so a reload or a start never flips readiness on its own. An
 * upstream with several instances has them checked in turn.
 */
public final class HealthProbe {
  /** Failed checks in a row that mark an upstream down: one lost probe is not an outage. */
  public static final int FAILURES_TO_DOWN = 3;

  private final UpstreamSpec upstream;
  private final HealthSpec spec;
  private final HttpUpstreamClient client;
  private final Clock clock;
  private final Context context;
  private final List<Promise<Void>> waiting = new ArrayList<>();
  private final Promise<Void> scheduled = Promise.promise();
  private volatile int failures;
  private volatile String lastProblem;
  private volatile boolean stopped;
  private Clock.Cancellable timer;

  private HealthProbe(Vertx vertx, Context context, UpstreamSpec upstream, Clock clock) {
    this.upstream = upstream;
    this.spec = upstream.health();
    this.client = HttpUpstreamClient.create(vertx, upstream, clock);
    this.clock = clock;
    this.context = context;
  }

  /** Starts checking {@code upstream} (which must have a health spec) on {@code context}. */
  public static HealthProbe start(
      Vertx vertx, Context context, UpstreamSpec upstream, Clock clock) {
    HealthProbe p = new HealthProbe(vertx, context, upstream, clock);
    context.runOnContext(
        v -> {
          p.scheduleNext();
          p.scheduled.complete();
        });
    return p;
  }

  /** Completes once the first check is scheduled. */
  public Future<Void> started() {
    return scheduled.future();
  }

  public String upstream() {
    return upstream.name();
  }

  /** False after {@value #FAILURES_TO_DOWN} failed checks in a row, until one succeeds. */
  public boolean up() {
    return failures < FAILURES_TO_DOWN;
  }

  /** Failed checks since the last success. */
  public int failures() {
    return failures;
  }

  /** Why the last check failed, or null when it succeeded (or none ran yet). */
  public String lastProblem() {
    return lastProblem;
  }

  /** Completes when the next check has finished and its result is recorded. */
  public Future<Void> nextCheck() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> waiting.add(p));
    return p.future();
  }

  /** Stops checking and closes the probe's client. */
  public Future<Void> stop() {
    stopped = true;
    context.runOnContext(
        v -> {
          if (timer != null) {
            timer.cancel();
          }
        });
    return client.close();
  }

  private void scheduleNext() {
    if (!stopped) {
      timer = clock.schedule(spec.interval(), this::check);
    }
  }

  private void check() {
    if (stopped) {
      return;
    }
    UpstreamRequest req =
        new UpstreamRequest(
            "health",
            "GET",
            spec.path(),
            MultiMap.caseInsensitiveMultiMap(),
            null,
            upstream.timeout(),
            Long.MAX_VALUE); // no request deadline: only the upstream timeout
    client
        .call(req)
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result().status() / 100 == 2) {
                failures = 0;
                lastProblem = null;
              } else {
                failures = failures + 1;
                lastProblem =
                    ar.succeeded() ? "answered " + ar.result().status() : ar.cause().getMessage();
              }
              scheduleNext(); // before telling waiters, so the next check is already due when they
              // move the clock
              List<Promise<Void>> done = new ArrayList<>(waiting);
              waiting.clear();
              done.forEach(Promise::tryComplete);
            });
  }
}
