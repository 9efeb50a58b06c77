package dev.medley.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * CORS per experience: preflights answered at the edge, foreign origins refused, headers on every
 * answer.
 */
class CorsTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          basePath: /web
          cors:
            origins: [https://shop.example.com]
            methods: [GET, POST]
            headers: [content-type, authorization]
            exposeHeaders: [etag]
            credentials: true
            maxAge: 5m
          routes:
            GET /p/{id}:
              steps: { p: { upstream: a, path: "/p/{id}" } }
        partner:
          basePath: /partner
          routes:
            GET /p:
              steps: { p: { upstream: a, path: /p } }
      """;

  private HttpResponse<String> preflight(
      String path, String origin, String method, String headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(gw.uri(path))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method);
    if (headers != null) {
      b.header("Access-Control-Request-Headers", headers);
    }
    return gw.request(b);
  }

  @Test
  void allowedPreflightIsAnsweredWithoutCallingAnUpstream() {
    a.on("/", FakeUpstream.json("{}"));
    start(CONFIG);
    HttpResponse<String> r =
        preflight("/web/p/1", "https://shop.example.com", "POST", "Content-Type, Authorization");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://shop.example.com");
    assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("GET, POST");
    assertThat(r.headers().firstValue("access-control-allow-headers"))
        .hasValue("content-type, authorization");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(r.headers().firstValue("access-control-max-age")).hasValue("300");
    assertThat(r.headers().firstValue("vary").orElseThrow()).contains("origin");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void preflightFromAnotherOriginOrForAnotherMethodOrHeaderIs403() {
    start(CONFIG);
    HttpResponse<String> r = preflight("/web/p/1", "https://evil.example", "GET", null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(r.body())
        .contains("urn:medley:problem:cors-rejected")
        .contains("origin https://evil.example is not allowed");
    assertThat(preflight("/web/p/1", "https://shop.example.com", "DELETE", null).body())
        .contains("method DELETE is not allowed");
    assertThat(preflight("/web/p/1", "https://shop.example.com", "GET", "x-secret").body())
        .contains("header x-secret is not allowed");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void allowedOriginGetsCorsHeadersOnTheAnswer() {
    a.on("/", FakeUpstream.json("{}"));
    start(CONFIG);
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/p/1"))
                .header("Origin", "https://shop.example.com"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://shop.example.com");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(r.headers().firstValue("access-control-expose-headers").orElseThrow())
        .contains("x-request-id")
        .contains("ratelimit")
        .contains("etag");
  }

  @Test
  void errorAnswersCarryCorsHeadersSoScriptsCanReadTheProblem() {
    start(CONFIG);
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/nothing"))
                .header("Origin", "https://shop.example.com"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://shop.example.com");
  }

  @Test
  void crossOriginRequestFromAForeignOriginIsRefusedBeforeTheUpstream() {
    start(CONFIG);
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/p/1")).header("Origin", "https://evil.example"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("cors-rejected");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void experienceWithoutCorsAnswersNoPreflight() {
    start(CONFIG);
    HttpResponse<String> r = preflight("/partner/p", "https://shop.example.com", "GET", null);
    assertThat(r.statusCode()).as("OPTIONS is no route method").isEqualTo(405);
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
  }
}
