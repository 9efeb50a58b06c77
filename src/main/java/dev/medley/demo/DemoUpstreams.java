package dev.medley.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The five demo services the demo config points at, each a small HTTP server on 127.0.0.1 whose
 * {@link FaultMode} can be switched while it runs. Tests start it on ephemeral ports and read the
 * request counters to see how often the gateway called each service.
 */
public final class DemoUpstreams {
  /** Service names, in the order of their default ports. */
  public static final List<String> SERVICES =
      List.of("product", "pricing", "inventory", "reviews", "catalog");

  /** The ports the demo config expects: 9101 for product up to 9105 for catalog. */
  public static final Map<String, Integer> DEFAULT_PORTS = defaultPorts();

  private static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(5);

  private final Map<String, DemoServer> servers = new LinkedHashMap<>();
  private final AtomicReference<Duration> slowDelay = new AtomicReference<>(DEFAULT_SLOW_DELAY);

  private DemoUpstreams(Vertx vertx) {
    for (String service : SERVICES) {
      servers.put(service, new DemoServer(vertx, DemoApis.routes(service), slowDelay::get));
    }
  }

  /**
   * Starts every service; {@code ports} maps a service to its port (0 picks a free one) and a
   * service left out gets its default port. Fails, with nothing left listening, if any port cannot
   * be bound or a name is not a service.
   */
  public static Future<DemoUpstreams> start(Vertx vertx, Map<String, Integer> ports) {
    for (Map.Entry<String, Integer> entry : ports.entrySet()) {
      String problem = portProblem(entry.getKey(), entry.getValue());
      if (problem != null) {
        return Future.failedFuture(new IllegalArgumentException(problem));
      }
    }
    DemoUpstreams upstreams = new DemoUpstreams(vertx);
    List<Future<Void>> started =
        upstreams.servers.entrySet().stream()
            .map(
                e ->
                    e.getValue()
                        .start(ports.getOrDefault(e.getKey(), DEFAULT_PORTS.get(e.getKey()))))
            .toList();
    return Future.join(started)
        .transform(
            all ->
                all.succeeded()
                    ? Future.succeededFuture(upstreams)
                    : upstreams.close().transform(ignored -> Future.failedFuture(all.cause())));
  }

  /** The port a service is bound to; stays the same across DOWN and back. */
  public int port(String service) {
    return server(service).port();
  }

  /** Every service's port, in {@link #SERVICES} order. */
  public Map<String, Integer> ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    servers.forEach((service, server) -> ports.put(service, server.port()));
    return Collections.unmodifiableMap(ports);
  }

  /** Switches a service's behaviour; completes once the service behaves that way. */
  public Future<Void> setMode(String service, FaultMode mode) {
    DemoServer server = servers.get(service);
    if (server == null) {
      return Future.failedFuture(new IllegalArgumentException(unknownService(service)));
    }
    if (mode == null) {
      return Future.failedFuture(
          new IllegalArgumentException("mode: null (expected one of: ok, down, slow, error)"));
    }
    return server.setMode(mode);
  }

  public FaultMode mode(String service) {
    return server(service).mode();
  }

  /** The delay {@link FaultMode#SLOW} adds to every answer (5s unless set); at least 1ms. */
  public void slowDelay(Duration delay) {
    if (delay == null || delay.toMillis() < 1) {
      throw new IllegalArgumentException("slowDelay: " + delay + " (expected: 1ms or more)");
    }
    slowDelay.set(delay);
  }

  /** Requests a service has received while up, whatever it answered. */
  public long requestCount(String service) {
    return server(service).requestCount();
  }

  /**
   * Requests a service has received on one kind of endpoint: {@code products}, {@code prices},
   * {@code stock}, {@code summary}, {@code items}, {@code batchGet}, or {@code unmatched}.
   */
  public long requestCount(String service, String kind) {
    return server(service).requestCount(kind);
  }

  /** Stops every service; the Vert.x instance stays the caller's to close. */
  public Future<Void> close() {
    return Future.join(servers.values().stream().map(DemoServer::close).toList()).mapEmpty();
  }

  private DemoServer server(String service) {
    DemoServer server = servers.get(service);
    if (server == null) {
      throw new IllegalArgumentException(unknownService(service));
    }
    return server;
  }

  private static String portProblem(String service, Integer port) {
    if (!SERVICES.contains(service)) {
      return unknownService(service);
    }
    if (port == null || port < 0 || port > 65535) {
      return "ports." + service + ": " + port + " (expected: 0 to 65535, 0 picks a free port)";
    }
    return null;
  }

  private static String unknownService(String service) {
    return "service: " + service + " (expected one of: " + String.join(", ", SERVICES) + ")";
  }

  private static Map<String, Integer> defaultPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (int i = 0; i < SERVICES.size(); i++) {
      ports.put(SERVICES.get(i), 9101 + i);
    }
    return Collections.unmodifiableMap(ports);
  }
}
