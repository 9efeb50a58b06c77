package dev.medley.observe.internal;

import dev.medley.admin.AdminServer;
import dev.medley.config.ObserveSpec;
import dev.medley.edge.EdgeFilter;
import dev.medley.observe.Metrics;
import dev.medley.observe.ObserveHooks;
import dev.medley.plan.Plan;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamPolicy;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * Everything {@code observe} plugs into a gateway, built once from the {@code observe:} config: the
 * outermost edge filter, the innermost upstream policy, the {@link Metrics} recorder for other
 * policies, and {@code GET /metrics} on the admin port. Observe settings are read at start; a
 * config reload does not change them.
 */
public final class Observability {
  /** The Prometheus text exposition format, version 0.0.4. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final Clock clock;
  private final MicrometerMetrics metrics;
  private final Tracing tracing;
  private final AccessLog accessLog;
  private final EventLoopProbe probe;
  private final ObserveFilter filter;

  private Observability(
      Vertx vertx, ObserveSpec spec, Supplier<String> adminToken, Clock clock, ObserveHooks hooks) {
    this.vertx = vertx;
    this.clock = clock;
    this.metrics = new MicrometerMetrics(spec.metrics().enabled(), clock);
    this.tracing = Tracing.create(spec.tracing(), hooks.spanExporter());
    this.accessLog = AccessLog.create(spec.accessLog(), hooks.accessLogLines(), metrics.registry());
    this.probe = metrics.registry() == null ? null : new EventLoopProbe(vertx, metrics.registry());
    this.filter = new ObserveFilter(metrics, tracing, accessLog, new Explain(adminToken), clock);
  }

  /**
   * @param adminToken supplies the admin token explain mode asks for, read per explained request
   *     (the gateway's: the config's, or the one generated at start); null, or a null token,
   *     disables it
   */
  public static Observability start(
      Vertx vertx, ObserveSpec spec, Supplier<String> adminToken, Clock clock, ObserveHooks hooks) {
    Observability o = new Observability(vertx, spec, adminToken, clock, hooks);
    if (o.probe != null) {
      o.probe.start();
    }
    return o;
  }

  /**
   * The recorder for retries, breakers, caches and rate limits ({@link Metrics#NOOP}-like when
   * disabled).
   */
  public Metrics metrics() {
    return metrics;
  }

  /** The filter to run first on every inbound request, before route matching. */
  public EdgeFilter filter() {
    return filter;
  }

  /**
   * Resolves the route meters of a new generation's {@code plan} (called when the generation is
   * built, so no request looks them up by name).
   */
  public void prepare(Plan plan) {
    metrics.prepare(plan);
  }

  /** The policy to run last (innermost) on every attempt to {@code upstream}. */
  public UpstreamPolicy attempts(String upstream) {
    return new AttemptObserver(upstream, metrics.upstream(upstream), tracing, clock);
  }

  /** Adds {@code GET /metrics} (behind the admin token) when metrics are enabled. */
  public void addAdminRoutes(AdminServer admin) {
    PrometheusMeterRegistry registry = metrics.registry();
    if (registry != null) {
      admin.route("GET", "/metrics", req -> scrape(registry, req));
    }
  }

  private void scrape(PrometheusMeterRegistry registry, HttpServerRequest req) {
    // Rendering reads every gauge (JVM ones included): done off the event loop.
    vertx
        .executeBlocking(() -> registry.scrape())
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                req.response().putHeader("content-type", PROMETHEUS_TEXT).end(ar.result());
              } else {
                AdminServer.json(req, 500, "{\"title\":\"Internal Server Error\",\"status\":500}");
              }
            });
  }

  /** Stops the probe, drains the access log and flushes spans; blocking parts run on a worker. */
  public Future<Void> close() {
    if (probe != null) {
      probe.stop();
    }
    return vertx.executeBlocking(
        () -> {
          accessLog.close();
          tracing.close();
          metrics.close();
          return null;
        });
  }
}
