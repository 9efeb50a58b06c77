package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import dev.medley.upstream.StaleIfError;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The stale-if-error hook the step cache will implement: a failed call answered from it becomes the
 * step's result, marked degraded, instead of a 502 or the fallback.
 */
class StaleIfErrorTest extends GatewayTest {
  private static final String CONFIG = """
      version: 1
      upstreams:
        a: { url: "${env:A}", retry: { attempts: 1 } }
      experiences:
        web:
          routes:
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
              response: { name: product.name }
      """;

  @Test
  void failedCriticalCallIsServedStaleAndMarkedPartial() {
    List<String> asked = new CopyOnWriteArrayList<>();
    StaleIfError cache = (upstream, request, failure) -> {
      asked.add(upstream + " " + request.method() + " " + request.pathAndQuery());
      if (request.pathAndQuery().equals("/products/1")) {
        return Future.succeededFuture(new UpstreamResponse(200, MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer("{\"name\":\"Old shoe\"}")));
      }
      return Future.succeededFuture();
    };
    start(CONFIG, clock, o -> o.withStaleIfError(cache));
    a.on("/products", FakeUpstream.json(503, "{}"));
    HttpResponse<String> stale = gw.get("/p/1");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("{\"name\":\"Old shoe\",\"_partial\":true}");
    assertThat(stale.headers().firstValue("x-medley-partial")).hasValue("product");
    // Nothing stale for id 2: the failure stands.
    assertThat(gw.get("/p/2").statusCode()).isEqualTo(502);
    assertThat(asked).containsExactly("a GET /products/1", "a GET /products/2");
    // A healthy answer never consults the hook.
    a.on("/products", FakeUpstream.json("{\"name\":\"New shoe\"}"));
    assertThat(gw.get("/p/1").body()).isEqualTo("{\"name\":\"New shoe\"}");
    assertThat(asked).hasSize(2);
  }
}
