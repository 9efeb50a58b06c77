package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Whatever a client puts in a parameter, the upstream path keeps its shape: one encoded segment
 * under /products/, no extra segments, query or fragment.
 */
class SafeTemplateTest extends GatewayTest {
  private static final String CONFIG = """
      version: 1
      upstreams:
        a: { url: "${env:A}/api" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /p/{id}:
              query: { q: {} }
              steps:
                product: { upstream: a, path: "/products/{id}", query: { q: "{query.q}" }, headers: { X-Query: "{query.q}" } }
              response: product
      """;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "dot-dot-slash        | ..%2F..%2Fadmin       | /api/products/..%2F..%2Fadmin",
      "encoded slash        | a%2Fb                 | /api/products/a%2Fb",
      "question mark        | 1%3Fadmin%3Dtrue      | /api/products/1%3Fadmin%3Dtrue",
      "hash                 | 1%23frag              | /api/products/1%23frag",
      "CR LF                | 1%0D%0AX-Evil:%201    | /api/products/1%0D%0AX-Evil%3A%201",
      "unicode              | caf%C3%A9             | /api/products/caf%C3%A9",
      "percent              | 100%25                | /api/products/100%25",
      "backslash dots       | ..%5C..%5C            | /api/products/..%5C..%5C",
      "double-encoded       | %252e%252e            | /api/products/%252e%252e",
  })
  void parameterNeverChangesTheUpstreamPath(String name, String raw, String expected) {
    start(CONFIG);
    a.on("/api/products", FakeUpstream.json("{\"ok\":true}"));
    HttpResponse<String> r = gw.get("/web/p/" + raw);
    assertThat(r.statusCode()).isEqualTo(200);
    String uri = a.received().get(0).uri();
    assertThat(uri).isEqualTo(expected);
    assertThat(uri.split("/")).hasSize(4);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"dot | .", "dot-dot | ..", "encoded dot-dot | %2E%2E"})
  void dotSegmentValuesAreRefusedBeforeAnyCall(String name, String raw) {
    start(CONFIG);
    a.on("/api", FakeUpstream.json("{\"ok\":true}"));
    HttpResponse<String> r = gw.get("/web/p/" + raw);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void queryValuesAreEncodedAsOneParameter() {
    start(CONFIG);
    a.on("/api/products", FakeUpstream.json("{\"ok\":true}"));
    gw.get("/web/p/1?q=shoes%26admin%3D1%23x");
    assertThat(a.received().get(0).uri()).isEqualTo("/api/products/1?q=shoes%26admin%3D1%23x");
  }

  @Test
  void lineBreaksNeverReachAnUpstreamHeader() {
    start(CONFIG);
    a.on("/api/products", FakeUpstream.json("{\"ok\":true}"));
    HttpResponse<String> r = gw.get("/web/p/1?q=a%0D%0AX-Admin:%20yes");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(a.received()).isEmpty();
  }
}
