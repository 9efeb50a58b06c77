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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * In-process graceful shutdown: the listener closes, readiness says stopping, the running request
 * finishes.
 */
class GracefulShutdownTest extends GatewayTest {
  @Test
  void shutdownStopsAcceptingAndLetsTheRunningRequestFinish() throws Exception {
    a.on("/slow", a.stall());
    start(
        """
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
    assertThatThrownBy(() -> new Socket("127.0.0.1", gw.gateway.adminPort()).close())
        .isInstanceOf(ConnectException.class);
  }

  /**
   * A keep-alive client with a request in flight when the shutdown starts: its answer says {@code
   * Connection: close} and the connection closes after it, and a request it pipelined behind the
   * first is never run (at most answered with a 503 that closes the connection).
   */
  @Test
  void afterSigtermEveryAnswerSaysConnectionCloseAndNothingNewRuns() throws Exception {
    a.on("/slow", a.stall());
    start(
        """
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
    io.vertx.core.Future<Void> stopped;
    try (Socket s = new Socket("127.0.0.1", gw.gateway.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write("GET /slow HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      a.awaitRequests(1);

      stopped = gw.gateway.shutdown();
      s.getOutputStream()
          .write(
              "GET /slow?second=1 HTTP/1.1\r\nHost: gw\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      a.releaseStalled("{\"done\":true}");

      long t0 = System.nanoTime();
      String answers = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      int headEnd = answers.indexOf("\r\n\r\n") + 4;
      String first = answers.substring(0, headEnd);
      assertThat(first).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
      int length = Integer.parseInt(first.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
      String rest = answers.substring(headEnd + length);
      assertThat(rest)
          .as("a pipelined request after SIGTERM is not served")
          .satisfiesAnyOf(
              r -> assertThat(r).isEmpty(),
              r ->
                  assertThat(r)
                      .startsWith("HTTP/1.1 503")
                      .containsIgnoringCase("connection: close")
                      .contains("shutting-down"));
      assertThat(a.received()).as("only the request in flight reached the upstream").hasSize(1);
    }
    // The client has read to the end and closed: the gateway's lingering close is over, and with it
    // the shutdown (a client that never closes would hold it for at most 5 s, or the grace).
    stopped.await(10, TimeUnit.SECONDS);
  }
}
