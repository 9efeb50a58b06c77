package dev.medley.observe.internal;

import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Generation;
import dev.medley.observe.BreakerState;
import dev.medley.observe.CacheLayer;
import dev.medley.observe.CacheResult;
import dev.medley.observe.Metrics;
import dev.medley.observe.TelemetryNames;
import dev.medley.plan.Plan;
import dev.medley.plan.RoutePlan;
import dev.medley.time.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Micrometer side of observability: one Prometheus registry per gateway with the JVM binders,
 * the recorder other packages call ({@link Metrics}), and the request path's series ({@link
 * RequestSeries}, a collector of the same registry) with each generation's resolved route meters.
 * With metrics disabled there is no registry and every record is a no-op, but route labels still
 * serve logs and spans.
 */
final class MicrometerMetrics implements Metrics, AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  // A LongAdder: two event loops add to it on every request; one shared atomic would bounce
  // between their caches.
  private final LongAdder inFlight = new LongAdder();
  private final RequestSeries series; // null when metrics are off
  private final RouteMeters unmatched;
  // The meters of the newest generation and of the one before (requests still finishing on it
  // after a reload); an older plan's meters are built again if ever asked for.
  private volatile PlanMeters current;
  private volatile PlanMeters previous;
  private final ConcurrentHashMap<String, Counter> retries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> limited = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> reloads = new ConcurrentHashMap<>();
  private final AtomicInteger held = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicReference<BreakerState>> breakers =
      new ConcurrentHashMap<>();
  private final Counter[][] cache =
      new Counter[CacheLayer.values().length][CacheResult.values().length];
  private final ConcurrentHashMap<String, Timer> stateCalls = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicReference<String>> stateModes =
      new ConcurrentHashMap<>();

  MicrometerMetrics(boolean enabled, Clock clock) {
    if (!enabled) {
      registry = null;
      gc = null;
      series = null;
      unmatched = new RouteMeters(null, null);
      return;
    }
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    Gauge.builder(TelemetryNames.REQUESTS_IN_FLIGHT, inFlight, LongAdder::sum)
        .description("Requests read but not yet answered")
        .register(registry);
    Gauge.builder(TelemetryNames.CONFIG_FILES_HELD, held, AtomicInteger::get)
        .description(
            "Files of a folder config serving their last good version after an invalid change")
        .register(registry);
    for (CacheLayer l : CacheLayer.values()) {
      for (CacheResult r : CacheResult.values()) {
        cache[l.ordinal()][r.ordinal()] =
            Counter.builder(TelemetryNames.CACHE_REQUESTS)
                .description("Cache lookups")
                .tags(TelemetryNames.L_CACHE, l.label(), TelemetryNames.L_RESULT, r.label())
                .register(registry);
      }
    }
    series = new RequestSeries(clock);
    registry.getPrometheusRegistry().register(series);
    unmatched = new RouteMeters(null, series);
    warmUp(registry);
  }

  /**
   * Makes, uses and removes one latency timer, so the classes behind histograms and percentiles are
   * loaded here, at start, rather than by the first request on an event loop.
   */
  private static void warmUp(PrometheusMeterRegistry registry) {
    Timer t = Timers.latency("medley.warmup", "warm-up", Tags.empty(), registry);
    t.record(1, java.util.concurrent.TimeUnit.MILLISECONDS);
    registry.scrape();
    registry.remove(t);
  }

  /** The registry, or null when metrics are disabled. */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  LongAdder inFlight() {
    return inFlight;
  }

  /**
   * Resolves the meters of every route of {@code plan}; the gateway calls it when it builds a
   * generation, so that generation's first request finds them made.
   */
  PlanMeters prepare(Plan plan) {
    PlanMeters pm = current;
    if (pm != null && pm.plan == plan) {
      return pm;
    }
    synchronized (this) {
      if (current != null && current.plan == plan) {
        return current;
      }
      if (previous != null && previous.plan == plan) {
        return previous;
      }
      PlanMeters made = new PlanMeters(plan, series);
      previous = current;
      current = made;
      return made;
    }
  }

  /**
   * The meters and labels of the route {@code req} was matched to (the unmatched request's when
   * none): found by the route's index in its generation's meters, no lookup by name.
   */
  RouteMeters route(EdgeRequest req) {
    RoutePlan r = req.route();
    if (r == null) {
      return unmatched;
    }
    Generation g = req.generation();
    if (g == null) {
      return new RouteMeters(r, series); // not run on a generation: tests of other layers
    }
    PlanMeters pm = current;
    if (pm == null || pm.plan != g.plan()) {
      pm = previous;
      if (pm == null || pm.plan != g.plan()) {
        pm = prepare(g.plan());
      }
    }
    RouteMeters m = pm.of(r);
    return m != null ? m : new RouteMeters(r, series);
  }

  /** The attempt meters of {@code name}, resolved once per policy chain. */
  UpstreamMeters upstream(String name) {
    return new UpstreamMeters(series == null ? null : series.upstream(name));
  }

  @Override
  public void retry(String upstream) {
    if (registry != null) {
      retries
          .computeIfAbsent(
              upstream,
              u ->
                  Counter.builder(TelemetryNames.UPSTREAM_RETRIES)
                      .description("Retries sent")
                      .tag(TelemetryNames.L_UPSTREAM, u)
                      .register(registry))
          .increment();
    }
  }

  @Override
  public void hedge(String upstream, String outcome) {
    if (registry != null) {
      counters
          .computeIfAbsent(
              "h " + upstream + " " + outcome,
              k ->
                  Counter.builder(TelemetryNames.UPSTREAM_HEDGES)
                      .description("Hedged attempts sent, won, or refused by the retry budget")
                      .tags(TelemetryNames.L_UPSTREAM, upstream, TelemetryNames.L_OUTCOME, outcome)
                      .register(registry))
          .increment();
    }
  }

  @Override
  public void shadow(String route, String step, String outcome) {
    if (registry != null) {
      counters
          .computeIfAbsent(
              "s " + route + " " + step + " " + outcome,
              k ->
                  Counter.builder(TelemetryNames.SHADOW_CALLS)
                      .description("Shadow calls by outcome; none of them affects an answer")
                      .tags(
                          TelemetryNames.L_ROUTE,
                          route,
                          TelemetryNames.L_STEP,
                          step,
                          TelemetryNames.L_OUTCOME,
                          outcome)
                      .register(registry))
          .increment();
    }
  }

  @Override
  public void breakerTransition(String upstream, BreakerState from, BreakerState to) {
    if (registry == null) {
      return;
    }
    Counter.builder(TelemetryNames.BREAKER_TRANSITIONS)
        .description("Circuit breaker state changes")
        .tags(
            TelemetryNames.L_UPSTREAM,
            upstream,
            TelemetryNames.L_FROM,
            from.label(),
            TelemetryNames.L_TO,
            to.label())
        .register(registry)
        .increment();
    breakers
        .computeIfAbsent(
            upstream,
            u -> {
              AtomicReference<BreakerState> state = new AtomicReference<>(from);
              for (BreakerState s : BreakerState.values()) {
                Gauge.builder(TelemetryNames.BREAKER_STATE, state, st -> st.get() == s ? 1 : 0)
                    .description("1 for the breaker's current state")
                    .tags(TelemetryNames.L_UPSTREAM, u, TelemetryNames.L_STATE, s.label())
                    .register(registry);
              }
              return state;
            })
        .set(to);
  }

  @Override
  public void cache(CacheLayer layer, CacheResult result) {
    if (registry != null) {
      cache[layer.ordinal()][result.ordinal()].increment();
    }
  }

  @Override
  public void rateLimited(String experience) {
    if (registry != null) {
      limited
          .computeIfAbsent(
              experience,
              e ->
                  Counter.builder(TelemetryNames.RATE_LIMITED)
                      .description("Requests refused with 429 by a rate limit")
                      .tag(TelemetryNames.L_EXPERIENCE, e)
                      .register(registry))
          .increment();
    }
  }

  @Override
  public void configReload(String outcome, int heldFiles) {
    if (registry != null) {
      reloads
          .computeIfAbsent(
              outcome,
              o ->
                  Counter.builder(TelemetryNames.CONFIG_RELOADS)
                      .description("Config reloads by outcome")
                      .tag(TelemetryNames.L_OUTCOME, o)
                      .register(registry))
          .increment();
      held.set(heldFiles);
    }
  }

  @Override
  public void stateCall(String op, String outcome, long nanos) {
    if (registry != null) {
      stateCalls
          .computeIfAbsent(
              op + ' ' + outcome,
              k ->
                  Timers.latency(
                      TelemetryNames.STATE_REDIS,
                      "Calls to the shared-state Redis",
                      Tags.of(TelemetryNames.L_OP, op, TelemetryNames.L_OUTCOME, outcome),
                      registry))
          .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void stateMode(String concern, String mode, java.util.List<String> modes) {
    if (registry == null) {
      return;
    }
    stateModes
        .computeIfAbsent(
            concern,
            c -> {
              AtomicReference<String> current = new AtomicReference<>(mode);
              for (String m : modes) {
                Gauge.builder(
                        TelemetryNames.STATE_MODE, current, cur -> m.equals(cur.get()) ? 1 : 0)
                    .description("1 for the shared-state concern's current mode")
                    .tags(TelemetryNames.L_CONCERN, c, TelemetryNames.L_MODE, m)
                    .register(registry);
              }
              return current;
            })
        .set(mode);
  }

  @Override
  public void close() {
    if (registry != null) {
      gc.close();
      registry.close();
    }
  }
}
