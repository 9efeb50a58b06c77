package dev.medley.engine;

import dev.medley.observe.Metrics;
import dev.medley.observe.TelemetryNames;
import dev.medley.plan.Scope;
import dev.medley.plan.ShadowPlan;
import dev.medley.plan.StepPlan;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends one request's shadow steps: each after the steps it reads, with its own templates, on its
 * own clock budget (the step's timeout, or its upstream's), never awaited by the answer. Its
 * outcome is only counted ({@code medley_shadow_calls_total}) and logged at FINE; its result is
 * dropped. Each shadow step has a cap on calls in flight across requests, so a slow shadow upstream
 * cannot pile calls up: beyond it the call is dropped and counted.
 */
final class Shadows {
  private static final Logger LOG = Logger.getLogger(Shadows.class.getName());

  private final String route;
  private final Scope scope;
  private final Upstreams upstreams;
  private final Clock clock;
  private final String requestId;
  private final Map<String, String> propagated;
  private final StepRecord[] records;
  private final StepCache cache;
  private final BatchWindows windows;
  private final Metrics metrics;
  private final long startNanos;

  Shadows(
      String route,
      Scope scope,
      Upstreams upstreams,
      Clock clock,
      String requestId,
      Map<String, String> propagated,
      StepRecord[] records,
      StepCache cache,
      BatchWindows windows,
      Metrics metrics,
      long startNanos) {
    this.route = route;
    this.scope = scope;
    this.upstreams = upstreams;
    this.clock = clock;
    this.requestId = requestId;
    this.propagated = propagated;
    this.records = records;
    this.cache = cache;
    this.windows = windows;
    this.metrics = metrics;
    this.startNanos = startNanos;
  }

  /** Sends {@code step} unless the answer already failed, it is sampled out, or its cap is full. */
  void send(StepPlan step, Future<Composed> answer) {
    if (answer.failed()) {
      return;
    }
    StepRecord record = records[step.index()];
    long now = clock.nanoTime();
    record.started(now - startNanos);
    ShadowPlan plan = step.shadow();
    if (!plan.sampled()) {
      record.settle(StepRecord.SKIPPED, "SAMPLED_OUT", now - startNanos);
      return;
    }
    try {
      if (step.when() != null && !Boolean.TRUE.equals(when(step))) {
        record.settle(StepRecord.SKIPPED, null, now - startNanos);
        return;
      }
    } catch (RuntimeException e) {
      counted(step, TelemetryNames.SHADOW_FAILED, e);
      record.settle(StepRecord.SHADOW, "EXPRESSION", now - startNanos);
      return;
    }
    if (!plan.tryAcquire()) {
      record.settle(StepRecord.SKIPPED, "SHADOW_FULL", now - startNanos);
      metrics.shadow(route, step.name(), TelemetryNames.SHADOW_DROPPED);
      return;
    }
    // Settled at once: the answer never waits for it, and explain shows it was sent.
    record.settle(StepRecord.SHADOW, null, now - startNanos);
    Duration budget = step.timeout() != null ? step.timeout() : upstreams.timeout(step.upstream());
    StepRunner runner =
        new StepRunner(
            upstreams,
            clock,
            now + budget.toNanos(),
            requestId,
            propagated,
            records,
            cache,
            windows);
    Future<StepValue> f;
    try {
      f = runner.run(step, scope);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(
        ar -> {
          plan.release();
          if (ar.succeeded()) {
            metrics.shadow(route, step.name(), TelemetryNames.SHADOW_OK);
          } else {
            counted(step, TelemetryNames.SHADOW_FAILED, ar.cause());
          }
        });
  }

  private Boolean when(StepPlan step) {
    com.fasterxml.jackson.databind.JsonNode v = step.when().eval(scope);
    if (v == null || !v.isBoolean()) {
      throw StepException.expression(
          "its when expression at " + step.when().where() + " is not true or false",
          step.when().where());
    }
    return v.booleanValue();
  }

  private void counted(StepPlan step, String outcome, Throwable why) {
    metrics.shadow(route, step.name(), outcome);
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(
          route
              + ": shadow step '"
              + step.name()
              + "' failed (the answer is not affected): "
              + StepException.of(why).getMessage());
    }
  }
}
