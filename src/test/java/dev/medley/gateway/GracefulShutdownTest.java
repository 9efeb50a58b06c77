package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.medley.GatewayTest;
import dev.medley.admin.AdminServer;
import dev.medley.testing.Harness;
import java.net.ConnectException;
import java.net.InetSocketAddress;
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
    assertThat(refused(port)).as("new connections are refused").isTrue();
    assertThat(slow).isNotDone();

    a.releaseStalled("{\"done\":true}");
    HttpResponse<String> r = Harness.await(slow);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"done\":true");
    stopped.await(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> new Socket("127.0.0.1", gw.gateway.adminPort()).close()).isInstanceOf(ConnectException.class);
  }

  /**
   * True once a connection to {@code port} is refused. The listener unbinds asynchronously right
   * after the shutdown starts; this tries a bounded number of times, without waiting in between.
   */
  static boolean refused(int port) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (int i = 0; i < 10_000 && System.nanoTime() < until; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (ConnectException e) {
        return true;
      } catch (java.io.IOException e) {
        // Accepted then reset while unbinding: try again.
      }
    }
    return false;
  }
}
