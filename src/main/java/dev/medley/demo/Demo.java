package dev.medley.demo;

import dev.medley.admin.AdminServer;
import dev.medley.config.ConfigException;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.MedleySpec;
import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo as one unit: the five demo services, the gateway running the bundled demo config against
 * them, and the admin endpoint {@code POST /demo/faults/{service}?mode=...} that switches a
 * service's faults while it runs.
 */
public final class Demo {
  /** Classpath location of the demo config. */
  public static final String CONFIG = "/demo/medley-demo.yaml";

  private static final String FAULTS = "/demo/faults/";

  private final DemoUpstreams upstreams;
  private final Gateway gateway;

  private Demo(DemoUpstreams upstreams, Gateway gateway) {
    this.upstreams = upstreams;
    this.gateway = gateway;
  }

  /**
   * Starts everything. {@code port}/{@code adminPort} null keep the config's 8080/9090; the
   * services use {@code upstreamPorts} (0 = any free port, absent = 9101..9105).
   */
  public static Future<Demo> start(
      Vertx vertx,
      Clock clock,
      Integer port,
      Integer adminPort,
      Map<String, Integer> upstreamPorts,
      int instances) {
    return DemoUpstreams.start(vertx, upstreamPorts)
        .compose(
            ups -> {
              String text = configText();
              Map<String, String> env = new HashMap<>();
              ups.ports()
                  .forEach(
                      (service, p) ->
                          env.put(
                              "DEMO_" + service.toUpperCase(Locale.ROOT) + "_URL",
                              "http://127.0.0.1:" + p));
              MedleySpec spec;
              try {
                spec = load(Env.of(env));
              } catch (ConfigException e) {
                return ups.close().transform(x -> Future.failedFuture(e));
              }
              GatewayOptions options =
                  GatewayOptions.of(spec.withPorts(port, adminPort), text, clock)
                      .withInstances(instances)
                      .withAdminRoutes(
                          List.of(
                              new GatewayOptions.AdminRoute(
                                  "POST", FAULTS, req -> switchFault(ups, req))));
              return Gateway.start(vertx, options)
                  .map(g -> new Demo(ups, g))
                  .recover(t -> ups.close().transform(x -> Future.failedFuture(t)));
            });
  }

  private static void switchFault(DemoUpstreams ups, HttpServerRequest req) {
    String service = req.path().substring(FAULTS.length());
    FaultMode mode;
    try {
      mode = FaultMode.parse(String.valueOf(req.getParam("mode")));
    } catch (IllegalArgumentException e) {
      AdminServer.json(req, 400, "{\"status\":400,\"detail\":" + quote(e.getMessage()) + "}");
      return;
    }
    ups.setMode(service, mode)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                AdminServer.json(
                    req,
                    200,
                    "{\"service\":"
                        + quote(service)
                        + ",\"mode\":"
                        + quote(mode.name().toLowerCase(Locale.ROOT))
                        + "}");
              } else {
                AdminServer.json(
                    req, 400, "{\"status\":400,\"detail\":" + quote(ar.cause().getMessage()) + "}");
              }
            });
  }

  private static String quote(String s) {
    return io.vertx.core.json.Json.encode(s);
  }

  /** The bundled demo config's text. */
  public static String configText() {
    try (InputStream in = Demo.class.getResourceAsStream(CONFIG)) {
      if (in == null) {
        throw new IllegalStateException("demo config missing from the classpath: " + CONFIG);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public DemoUpstreams upstreams() {
    return upstreams;
  }

  public Gateway gateway() {
    return gateway;
  }

  public Future<Void> close() {
    return gateway.close().eventually(upstreams::close);
  }

  /** The bundled config with service URLs from {@code env}. */
  static MedleySpec load(Env env) throws ConfigException {
    ConfigLoader.Result r = new ConfigLoader(env).parse(configText(), "demo/medley-demo.yaml");
    if (!r.ok()) {
      throw new ConfigException(r.errors());
    }
    return r.spec();
  }
}
