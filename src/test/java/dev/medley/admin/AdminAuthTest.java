package dev.medley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.MedleySpec;
import dev.medley.demo.Demo;
import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.testing.Harness;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API is never open: a configured token or, without one, a generated one guards
 * everything but health.
 */
class AdminAuthTest {
  private static final Map<String, Integer> EPHEMERAL =
      Map.of("product", 0, "pricing", 0, "inventory", 0, "reviews", 0, "catalog", 0);
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Harness.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> post(int port, String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutAConfiguredTokenTheDemoGeneratesOneAndRequiresIt() throws Exception {
    Demo demo =
        Demo.start(vertx, new ManualClock(), 0, 0, EPHEMERAL, 1).await(20, TimeUnit.SECONDS);
    try {
      int admin = demo.gateway().adminPort();
      String token = demo.gateway().adminToken();
      assertThat(token).hasSizeGreaterThanOrEqualTo(40);
      assertThat(post(admin, "/demo/faults/reviews?mode=down", null).statusCode()).isEqualTo(401);
      assertThat(post(admin, "/demo/faults/reviews?mode=down", token + "x").statusCode())
          .isEqualTo(401);
      assertThat(post(admin, "/demo/faults/reviews?mode=down", token).statusCode()).isEqualTo(200);
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/health/live"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as("health needs no token").isEqualTo(200);
    } finally {
      demo.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void configuredTokenIsTheOneRequiredAndTheAdminListenerBindsLoopbackByDefault() throws Exception {
    String yaml =
        """
        version: 1
        server:
          admin: { port: 0, token: "${env:T}" }
        upstreams:
          a: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            routes:
              GET /p:
                steps: { p: { upstream: a, path: /p } }
        """;
    MedleySpec spec =
        new ConfigLoader(Env.of(Map.of("T", "op-token"))).parse(yaml, "t.yaml").spec();
    assertThat(spec.server().admin().host()).isEqualTo("127.0.0.1");
    GatewayOptions options =
        GatewayOptions.of(spec.withPorts(0, 0), yaml, new ManualClock())
            .withInstances(1)
            .withAdminRoutes(
                List.of(
                    new GatewayOptions.AdminRoute(
                        "POST", "/ops", req -> AdminServer.json(req, 200, "{}"))));
    Gateway g = Gateway.start(vertx, options).await(20, TimeUnit.SECONDS);
    try {
      assertThat(g.adminToken()).isEqualTo("op-token");
      assertThat(post(g.adminPort(), "/ops", null).statusCode()).isEqualTo(401);
      assertThat(post(g.adminPort(), "/ops", "op-token").statusCode()).isEqualTo(200);
    } finally {
      g.close().await(10, TimeUnit.SECONDS);
    }
  }
}
