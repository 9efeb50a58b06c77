package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.medley.GatewayTest;
import dev.medley.admin.AdminServer;
import dev.medley.testing.Harness;
import dev.medley.testing.Sockets;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** In-process graceful shutdown: the listener closes, readiness says stopping, the running request finishes. */
class GracefulShutdownTest extends GatewayTest {
  @Test
  void shutdownStopsAcceptingAndLetsTheRunningRequestFinish() throws Exception {
    a.on("/slow", a.stall());
    start("""
        version: 1
        server: { shutdownGrace: 20s }
        upstreams:
          a: { url: "${env:A}" }
        experiences:
          web:
            routes:
              GET /slow:
                steps:
                  slow: { upstream: a, path: /slow }
        """);
    int port = gw.gateway.port();
    CompletableFuture<HttpResponse<String>> slow = gw.getAsync("/slow");
    a.awaitRequests(1);

    var stopped = gw.gateway.shutdown();
    assertThat(gw.gateway.inFlight()).isEqualTo(1);
    HttpResponse<String> ready = gw.admin("GET", AdminServer.READY_PATH, null);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("\"status\":\"stopping\"");
    assertThat(Sockets.refused(port)).as("new connections are refused").isTrue();
    assertThat(slow).isNotDone();

    a.releaseStalled("{\"done\":true}");
    HttpResponse<String> r = Harness.await(slow);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"done\":true");
    stopped.await(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> new Socket("127.0.0.1", gw.gateway.adminPort()).close()).isInstanceOf(ConnectException.class);
  }
}
