package dev.medley.gateway;

import dev.medley.config.MedleySpec;
import dev.medley.edge.EdgeFilter;
import dev.medley.observe.Metrics;
import dev.medley.observe.ObserveHooks;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamTransport;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * How to start a gateway. Built with {@link #of} and adjusted with the {@code with...} methods.
 *
 * @param spec the loaded config
 * @param configText the config's text, hashed into the plan version
 * @param clock the time source for deadlines and timers
 * @param instances public listener instances (event loops serving the port)
 * @param maxRequestBody largest accepted request body in bytes
 * @param adminRoutes extra admin endpoints, e.g. the demo's fault switches
 * @param random the source of retry back-off jitter; tests pass a fixed one
 * @param source the config file to reload from (and watch), or null when the config did not come
 *     from a file
 * @param routeFilters extra per-route edge filters, run after route matching, each built with the
 *     gateway's metrics recorder (for embedding programs and tests)
 * @param observeHooks where telemetry goes instead of its configured place (tests, embedding)
 * @param transport what answers upstream calls instead of the network, or null for the HTTP
 *     clients: {@code medley test} and {@code medley mock} answer from declared answers; the
 *     policies (retry, breaker, bulkhead, cache) still run around it
 */
public record GatewayOptions(
    MedleySpec spec,
    String configText,
    Clock clock,
    int instances,
    long maxRequestBody,
    List<AdminRoute> adminRoutes,
    RandomGenerator random,
    ConfigSource source,
    List<Function<Metrics, EdgeFilter>> routeFilters,
    ObserveHooks observeHooks,
    UpstreamTransport transport) {

  /** Thread-safe jitter: each event loop draws from its own thread-local generator. */
  private static final RandomGenerator THREAD_LOCAL = () -> ThreadLocalRandom.current().nextLong();

  /** An extra admin endpoint: requests whose path starts with {@code prefix}. */
  public record AdminRoute(String method, String prefix, Handler<HttpServerRequest> handler) {}

  public static GatewayOptions of(MedleySpec spec, String configText, Clock clock) {
    return new GatewayOptions(
        spec,
        configText,
        clock,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        1L << 20,
        List.of(),
        THREAD_LOCAL,
        null,
        List.of(),
        ObserveHooks.NONE,
        null);
  }

  public GatewayOptions withInstances(int n) {
    return new GatewayOptions(
        spec,
        configText,
        clock,
        n,
        maxRequestBody,
        adminRoutes,
        random,
        source,
        routeFilters,
        observeHooks,
        transport);
  }

  public GatewayOptions withAdminRoutes(List<AdminRoute> routes) {
    return new GatewayOptions(
        spec,
        configText,
        clock,
        instances,
        maxRequestBody,
        routes,
        random,
        source,
        routeFilters,
        observeHooks,
        transport);
  }

  public GatewayOptions withRandom(RandomGenerator r) {
    return new GatewayOptions(
        spec,
        configText,
        clock,
        instances,
        maxRequestBody,
        adminRoutes,
        r,
        source,
        routeFilters,
        observeHooks,
        transport);
  }

  /**
   * Reload from (and watch) {@code file}; {@code spec} and {@code configText} must be its current
   * content.
   */
  public GatewayOptions withSource(ConfigSource file) {
    return new GatewayOptions(
        spec,
        configText,
        clock,
        instances,
        maxRequestBody,
        adminRoutes,
        random,
        file,
        routeFilters,
        observeHooks,
        transport);
  }

  public GatewayOptions withRouteFilters(List<Function<Metrics, EdgeFilter>> filters) {
    return new GatewayOptions(
        spec,
        configText,
        clock,
        instances,
        maxRequestBody,
        adminRoutes,
        random,
        source,
        filters,
        observeHooks,
        transport);
  }

  public GatewayOptions withObserveHooks(ObserveHooks hooks) {
    return new GatewayOptions(
        spec,
        configText,
        clock,
        instances,
        maxRequestBody,
        adminRoutes,
        random,
        source,
        routeFilters,
        hooks,
        transport);
  }

  /**
   * Answer upstream calls with {@code t} instead of the network (see {@link UpstreamTransport}).
   */
  public GatewayOptions withTransport(UpstreamTransport t) {
    return new GatewayOptions(
        spec,
        configText,
        clock,
        instances,
        maxRequestBody,
        adminRoutes,
        random,
        source,
        routeFilters,
        observeHooks,
        t);
  }
}
