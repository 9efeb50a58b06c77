package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.observe.Metrics;
import dev.medley.plan.ErrorPolicy;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import dev.medley.plan.StepPlan;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's run of a route: starts each step as soon as the steps it waits for are done,
 * degrades optional steps to their fallbacks, fails fast on a critical step, and settles everything
 * still pending when the deadline strikes.
 */
final class Execution {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(Execution.class.getName());
  private static final String OK = StepRecord.OK;
  private static final String SKIPPED = StepRecord.SKIPPED;
  private static final String DEGRADED = StepRecord.DEGRADED;
  private static final String FAILED = StepRecord.FAILED;

  private final RoutePlan route;
  private final Scope scope;
  private final Clock clock;
  private final long startNanos;
  private final StepRunner runner;
  private final Promise<Composed> done = Promise.promise();
  private final StepRecord[] records;
  private final List<String> degraded = new ArrayList<>();
  private final Upstreams upstreams; // kept for shadow steps only
  private final String requestId;
  private final java.util.Map<String, String> propagated;
  private final StepCache cache;
  private final BatchWindows windows;
  private final Metrics metrics;
  private Shadows shadows; // made by the first shadow step: routes without one never pay for it
  private Clock.Cancellable deadlineTimer;

  /** The route's error choices, or null (the defaults: fail fast, partial answers). */
  private final ErrorPolicy errors;

  /**
   * With {@code passErrors}: each critical step's failure by index, the number of critical steps
   * running, and whether one failed (then no step starts any more); unused otherwise.
   */
  private RouteFailure[] failures;

  private boolean[] running;
  private int criticalRunning;
  private boolean failing;

  /**
   * True while {@link #run} starts the steps that wait for nothing: they all start, even when one
   * of them fails at once (a cache or a local refusal answers synchronously), so which failure
   * answers does not depend on the order they were started in.
   */
  private boolean launching;

  private int optionalFailed;
  private int optionalSkipped;

  Execution(
      RoutePlan route,
      Scope scope,
      Upstreams upstreams,
      Clock clock,
      String requestId,
      java.util.Map<String, String> propagated,
      StepCache cache,
      BatchWindows windows,
      Metrics metrics) {
    this.route = route;
    this.scope = scope;
    this.clock = clock;
    this.startNanos = clock.nanoTime();
    this.errors = route.errors();
    StepPlan[] steps = route.steps();
    if (errors != null && errors.settlesFailures()) {
      failures = new RouteFailure[steps.length];
      running = new boolean[steps.length];
    }
    this.records = new StepRecord[steps.length];
    for (StepPlan s : steps) {
      records[s.index()] = new StepRecord(s.name());
    }
    this.runner =
        new StepRunner(
            upstreams,
            clock,
            startNanos + route.deadline().toNanos(),
            requestId,
            propagated,
            records,
            cache,
            windows);
    this.upstreams = upstreams;
    this.requestId = requestId;
    this.propagated = propagated;
    this.cache = cache;
    this.windows = windows;
    this.metrics = metrics;
  }

  Future<Composed> run() {
    deadlineTimer = clock.schedule(route.deadline(), this::onDeadline);
    launching = failures != null;
    StepPlan[] steps = route.steps();
    @SuppressWarnings("unchecked")
    Future<JsonNode>[] futures = new Future[steps.length];
    List<Future<JsonNode>> awaited = new ArrayList<>(steps.length);
    for (int i : route.order()) {
      StepPlan step = steps[i];
      int[] deps = step.deps();
      Future<?> ready;
      if (deps.length == 0) {
        ready = Future.succeededFuture();
      } else {
        List<Future<JsonNode>> waits = new ArrayList<>(deps.length);
        for (int d : deps) {
          waits.add(futures[d]);
        }
        ready = Future.all(waits);
      }
      if (step.shadow() != null) {
        // Sent once what it reads is ready, unless the answer failed; never awaited.
        if (shadows == null) {
          shadows =
              new Shadows(
                  route.id(),
                  scope,
                  upstreams,
                  clock,
                  requestId,
                  propagated,
                  records,
                  cache,
                  windows,
                  metrics,
                  startNanos);
        }
        Shadows sh = shadows;
        ready.onSuccess(v -> sh.send(step, done.future()));
        continue;
      }
      futures[i] = ready.compose(v -> start(step));
      awaited.add(futures[i]);
    }
    if (launching) {
      launching = false;
      failSettled();
    }
    Future.all(awaited)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                finish();
              } else if (failures != null) {
                failSettled(); // once the critical steps still running are done
              } else {
                fail(ar.cause());
              }
            });
    return done.future();
  }

  private Future<JsonNode> start(StepPlan step) {
    int i = step.index();
    if (done.future().isComplete() || (failing && !launching)) {
      return Future.succeededFuture(NullNode.getInstance());
    }
    records[i].started(clock.nanoTime() - startNanos);
    Future<StepValue> result;
    try {
      if (step.when() != null && !condition(step)) {
        settle(i, SKIPPED, null, NullNode.getInstance());
        if (step.optional()) {
          optionalSkipped++;
        }
        return Future.succeededFuture(NullNode.getInstance());
      }
      if (failures != null && !step.optional()) {
        running[i] = true;
        criticalRunning++;
      }
      result = runner.run(step, scope);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.transform(
        ar -> {
          if (records[i].settled()) {
            return Future.succeededFuture(scope.step(i)); // the deadline settled it already
          }
          if (failures != null && !step.optional()) {
            running[i] = false;
            criticalRunning--;
          }
          if (ar.succeeded()) {
            StepValue v = ar.result();
            if (v.stale()) {
              // stale-if-error: the cached value stands in, even for a critical step, and the
              // answer says so.
              settle(i, DEGRADED, "STALE", v.value());
              degraded.add(step.name());
            } else {
              settle(i, OK, null, v.value());
            }
            if (failing) {
              failSettled();
            }
            return Future.succeededFuture(v.value());
          }
          StepException e = StepException.of(ar.cause());
          records[i].failedAt(e.where);
          if (step.optional() && !e.clientFault) {
            degrade(step, e.kind);
            return Future.succeededFuture(step.fallback());
          }
          settle(i, FAILED, e.kind, null);
          RouteFailure f = failure(step, e);
          if (failures != null) {
            failures[i] = f;
            failing = true;
            failSettled();
          }
          return Future.failedFuture(f);
        });
  }

  private boolean condition(StepPlan step) {
    JsonNode v = step.when().eval(scope);
    if (v == null || !v.isBoolean()) {
      String where = step.when().where();
      throw StepException.expression(
          "its when expression at "
              + where
              + " gave "
              + (v == null || v.isNull()
                  ? "null"
                  : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
              + ", not true or false",
          where);
    }
    return v.booleanValue();
  }

  private void settle(int i, String what, String why, JsonNode value) {
    records[i].settle(what, why, clock.nanoTime() - startNanos);
    if (value != null) {
      scope.setStep(i, value);
    }
  }

  private void degrade(StepPlan step, String why) {
    settle(step.index(), DEGRADED, why, step.fallback());
    degraded.add(step.name());
    optionalFailed++;
  }

  /** True when at least one optional step ran and every one that ran fell back. */
  private boolean allOptionalFailed() {
    int optional = 0;
    for (StepPlan s : route.steps()) {
      if (s.optional()) {
        optional++;
      }
    }
    int ran = optional - optionalSkipped;
    return ran > 0 && optionalFailed == ran;
  }

  private RouteFailure failure(StepPlan step, StepException e) {
    if (errors != null && e.answer != null) {
      RouteFailure passed = PassThrough.of(step.name(), errors.pass(step.index()), e);
      if (passed != null) {
        return passed;
      }
    }
    if (e.clientFault) {
      return RouteFailure.badRequest(step.name(), e.getMessage());
    }
    if (e.deadline) {
      return RouteFailure.deadline(
          step.name(), "step '" + step.name() + "' did not finish before the route deadline");
    }
    if (e.retryAfter != null) {
      return RouteFailure.unavailable(
          step.name(), "step '" + step.name() + "' failed: " + e.getMessage(), e.retryAfter);
    }
    return RouteFailure.badGateway(
        step.name(), "step '" + step.name() + "' failed: " + e.getMessage());
  }

  /** At the deadline: optional steps still pending fall back; a pending critical step means 504. */
  private void onDeadline() {
    if (done.future().isComplete()) {
      return;
    }
    StepPlan[] steps = route.steps();
    if (failures != null && deadlineSettled(steps)) {
      return;
    }
    for (int i : route.order()) {
      if (!records[i].settled() && !steps[i].optional() && steps[i].shadow() == null) {
        settle(i, FAILED, "DEADLINE", null);
        fail(
            RouteFailure.deadline(
                steps[i].name(),
                "step '" + steps[i].name() + "' did not finish before the route deadline"));
        return;
      }
    }
    for (int i : route.order()) {
      if (!records[i].settled() && steps[i].shadow() == null) {
        degrade(steps[i], "DEADLINE");
      }
    }
    finish();
  }

  /**
   * With {@code passErrors}, once a critical step failed and no critical step is running any more:
   * fails with the failure of the first failed step in declaration order, so the answer does not
   * depend on which upstream answered first.
   */
  private void failSettled() {
    if (!failing || launching || criticalRunning > 0 || done.future().isComplete()) {
      return;
    }
    for (RouteFailure f : failures) {
      if (f != null) {
        fail(f);
        return;
      }
    }
  }

  /**
   * The deadline with {@code passErrors}, once a critical step failed: every critical step still
   * running fails with 504, and the first failure in declaration order answers (a step that never
   * started, because it waits for a failed one, is not a failure of its own). False when none had
   * failed: the deadline then works as on any route.
   */
  private boolean deadlineSettled(StepPlan[] steps) {
    if (!failing) {
      return false;
    }
    for (int i : route.order()) {
      if (running[i]) {
        settle(i, FAILED, "DEADLINE", null);
        failures[i] =
            RouteFailure.deadline(
                steps[i].name(),
                "step '" + steps[i].name() + "' did not finish before the route deadline");
        running[i] = false;
      }
    }
    criticalRunning = 0;
    failSettled();
    return true;
  }

  private void finish() {
    if (done.future().isComplete()) {
      return;
    }
    if (errors != null && errors.failWhenAllOptionalFail() && allOptionalFailed()) {
      fail(
          RouteFailure.badGateway(
              null, "every optional step failed: " + String.join(", ", degraded)));
      return;
    }
    JsonNode body = route.response().render(scope);
    // A response field that failed is null in the body and named like a degraded step, never
    // silent.
    for (Scope.FieldFailure f : scope.failures()) {
      LOG.warning(
          () ->
              route.id()
                  + ": response field '"
                  + f.field()
                  + "' at "
                  + f.where()
                  + " could not be evaluated: "
                  + f.detail());
      degraded.add("response." + f.field());
    }
    boolean partial = !degraded.isEmpty();
    if ((route.statics() != null || partial) && body instanceof ObjectNode shaped) {
      // The rendered root may be a step's own result (`response: product`), a value the step
      // cache shares with later requests, or a fallback held by the plan: mark a shallow copy,
      // never the shared object, or one request's marks would show in the next one's answer.
      ObjectNode o = shaped.objectNode().setAll(shaped);
      if (route.statics() != null) {
        Statics.merge(route.statics(), !partial, o);
      }
      if (partial) {
        o.put("_partial", true);
      }
      body = o;
    }
    deadlineTimer.cancel();
    done.tryComplete(new Composed(body, List.copyOf(degraded), trace()));
  }

  private void fail(Throwable t) {
    if (done.future().isComplete()) {
      return;
    }
    deadlineTimer.cancel();
    RouteFailure f =
        t instanceof RouteFailure rf ? rf : RouteFailure.badGateway(null, "internal error");
    f.trace(trace());
    if (route.statics() != null) {
      f.members(Statics.onFailure(route.statics()));
    }
    done.tryFail(f);
  }

  private List<StepTrace> trace() {
    List<StepTrace> out = new ArrayList<>(records.length);
    for (StepRecord r : records) {
      out.add(r.trace());
    }
    return out;
  }
}
