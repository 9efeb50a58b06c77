package dev.medley.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Each request limit is a clean 4xx problem+json, answered before any upstream call. */
class RequestLimitsTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      server:
        limits: { maxHeaderSize: 2KiB, maxUrlLength: 300, maxBodySize: 1KiB, maxJsonDepth: 4, maxQueryParams: 3 }
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          routes:
            GET /p:
              steps: { p: { upstream: a, path: /p } }
            POST /orders:
              maxBodySize: 64B
              steps: { o: { upstream: a, method: POST, path: /orders, body: "{body}" } }
            PUT /docs/{id}:
              maxBodySize: 4KiB
              steps: { d: { upstream: a, method: PUT, path: "/docs/{id}", body: "{body}" } }
      """;

  private void startLimits() {
    a.on("/", FakeUpstream.echo());
    start(CONFIG);
  }

  private void assertProblem(HttpResponse<String> r, int status, String slug) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p;
    try {
      p = Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(r.body(), e);
    }
    assertThat(p.get("type").asText()).isEqualTo("urn:medley:problem:" + slug);
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(a.received()).as("no upstream call").isEmpty();
  }

  private HttpResponse<String> send(String method, String path, String contentType, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(gw.uri(path))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return gw.request(b);
  }

  @Test
  void urlLongerThanTheLimitIs414() {
    startLimits();
    assertProblem(gw.get("/p?q=" + "x".repeat(300)), 414, "url-too-long");
  }

  @Test
  void urlFarBeyondTheLimitIsRefusedByTheDecoderWithAProblemToo() {
    startLimits();
    assertProblem(gw.get("/p?q=" + "x".repeat(5000)), 414, "url-too-long");
  }

  @Test
  void headersLargerThanTheLimitAre431() {
    startLimits();
    assertProblem(
        gw.request(HttpRequest.newBuilder(gw.uri("/p")).header("X-Big", "y".repeat(2100))),
        431,
        "headers-too-large");
  }

  @Test
  void tooManyQueryParametersIs400() {
    startLimits();
    assertProblem(gw.get("/p?a=1&b=2&c=3&d=4"), 400, "too-many-query-params");
    assertThat(gw.get("/p?a=1&b=2&c=3").statusCode()).isEqualTo(200);
  }

  @Test
  void bodyOverTheRoutesLimitIs413() {
    startLimits();
    assertProblem(
        send("POST", "/orders", "application/json", "{\"note\":\"" + "z".repeat(80) + "\"}"),
        413,
        "body-too-large");
  }

  @Test
  void routeMayAllowMoreThanTheServerDefault() {
    startLimits();
    HttpResponse<String> r =
        send("PUT", "/docs/1", "application/json", "{\"text\":\"" + "z".repeat(2000) + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void bodyWithoutJsonContentTypeIs415() {
    startLimits();
    HttpResponse<String> r = send("POST", "/orders", "text/plain", "{\"id\":1}");
    assertProblem(r, 415, "unsupported-media-type");
    assertThat(r.headers().firstValue("accept-post")).hasValue("application/json");
    assertProblem(send("POST", "/orders", null, "{\"id\":1}"), 415, "unsupported-media-type");
  }

  @Test
  void jsonVariantsOfContentTypeAreAccepted() {
    startLimits();
    assertThat(
            send("POST", "/orders", "application/json; charset=utf-8", "{\"id\":1}").statusCode())
        .isEqualTo(200);
    assertThat(send("POST", "/orders", "application/merge-patch+json", "{\"id\":1}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void jsonNestedDeeperThanTheLimitIs400() {
    startLimits();
    assertProblem(
        send("POST", "/orders", "application/json", "{\"a\":[[[[1]]]]}"), 400, "json-too-deep");
    assertThat(send("POST", "/orders", "application/json", "{\"a\":[[[\"]]]]]\"]]]}").statusCode())
        .as("brackets inside strings do not count")
        .isEqualTo(200);
  }
}
