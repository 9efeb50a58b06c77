package dev.medley.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The keep-alive pool: bounded per instance, reused across calls, and HTTP/2 where configured. */
class PoolingTest extends GatewayTest {
  private static String config(String extra) {
    return """
        version: 1
        upstreams:
          a: { url: "${env:A}"%s }
        experiences:
          web:
            routes:
              GET /p/{id}:
                steps:
                  item: { upstream: a, path: "/items/{id}" }
        """
        .formatted(extra);
  }

  @Test
  void callsBeyondThePoolSizeWaitForAConnectionInsteadOfOpeningMore() {
    start(config(", maxConnections: 2"));
    a.on("/items", a.stall());
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(gw.getAsync("/p/" + i));
    }
    a.awaitRequests(2);
    assertThat(a.openConnections()).isEqualTo(2);
    for (int answered = 2; answered < 5; answered++) {
      a.releaseStalled("{}");
      a.awaitRequests(1);
    }
    a.releaseStalled("{}");
    a.releaseStalled("{}");
    held.forEach(f -> assertThat(gw.await(f).statusCode()).isEqualTo(200));
    assertThat(a.acceptedConnections())
        .as("five calls over two kept-alive connections")
        .isEqualTo(2);
  }

  @Test
  void h2cSpeaksHttp2ToAPlainTextUpstream() {
    List<String> versions = new CopyOnWriteArrayList<>();
    start(config(", http2: h2c"));
    a.on(
        "/items",
        (req, body) -> {
          versions.add(req.version().name());
          req.response().putHeader("content-type", "application/json").end("{}");
        });
    for (int i = 0; i < 3; i++) {
      assertThat(gw.get("/p/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(versions).containsOnly("HTTP_2");
    assertThat(a.acceptedConnections()).as("multiplexed over one connection").isEqualTo(1);
  }

  @Test
  void autoKeepsHttp1ToAPlainTextUpstream() {
    List<String> versions = new CopyOnWriteArrayList<>();
    start(config(""));
    a.on(
        "/items",
        (req, body) -> {
          versions.add(req.version().name());
          req.response().putHeader("content-type", "application/json").end("{}");
        });
    assertThat(gw.get("/p/1").statusCode()).isEqualTo(200);
    assertThat(versions).containsExactly("HTTP_1_1");
  }
}
