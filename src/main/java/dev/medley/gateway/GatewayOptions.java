package dev.medley.gateway;

import dev.medley.config.MedleySpec;
import dev.medley.time.Clock;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * How to start a gateway.
 *
 * @param spec the loaded config
 * @param configText the config's text, hashed into the plan version
 * @param clock the time source for deadlines and timers
 * @param instances public listener instances (event loops serving the port)
 * @param adminRoutes extra admin endpoints, e.g. the demo's fault switches
 */
public record GatewayOptions(
    MedleySpec spec,
    String configText,
    Clock clock,
    int instances,
    List<AdminRoute> adminRoutes) {

  /** An extra admin endpoint: requests whose path starts with {@code prefix}. */
  public record AdminRoute(String method, String prefix, Handler<HttpServerRequest> handler) {}

  public static GatewayOptions of(MedleySpec spec, String configText, Clock clock) {
    return new GatewayOptions(spec, configText, clock, Math.max(1, Runtime.getRuntime().availableProcessors()),
        List.of());
  }

  public GatewayOptions withInstances(int n) {
    return new GatewayOptions(spec, configText, clock, n, adminRoutes);
  }

  public GatewayOptions withAdminRoutes(List<AdminRoute> routes) {
    return new GatewayOptions(spec, configText, clock, instances, routes);
  }
}
