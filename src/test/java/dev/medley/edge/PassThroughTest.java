package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Tokens;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pass-through routes ({@code proxy:}) and bodies that are not JSON, on real sockets: the fake
 * upstreams assert exactly what they received (bytes, content type, headers), and the client sees
 * the upstream's exact bytes and headers.
 */
class PassThroughTest extends GatewayTest {
  private static Tokens tokens;

  private static final String CONFIG =
      """
      version: 1
      server:
        admin: { token: t0ken }
      upstreams:
        a: { url: "${env:A}", maxResponseSize: 64KiB }
        b: { url: "${env:B}" }
      auth:
        jwt:
          issuer: https://issuer.test/
          audiences: [api.test]
          jwks: "${env:C}/jwks"
          algorithms: [RS256]
      experiences:
        web:
          auth: none
          routes:
            GET /files/{id}:
              deadline: 500ms
              proxy: { upstream: a, path: "/files/{id}", headers: { x-tenant: acme } }
            GET /cached/{id}:
              cache: { ttl: 60s }
              cacheControl: "public, max-age=60"
              proxy: { upstream: a, path: "/files/{id}" }
            GET /secure/files/{id}:
              auth: jwt
              scopes: [files:read]
              rateLimits: [ { key: claim.sub, rate: 1/h, burst: 1 } ]
              proxy: { upstream: a, path: "/files/{id}" }
            PUT /store/{id}:
              requestBody: { accept: [bytes] }
              proxy: { upstream: a, path: "/store/{id}" }
            POST /contact:
              requestBody: { accept: [form] }
              steps:
                crm: { upstream: a, method: POST, path: /crm, forwardBody: true }
                audit: { upstream: b, method: POST, path: /audit, forwardBody: true }
                mail: { upstream: b, method: POST, path: "/mail/{crm.id}", forwardBody: true }
              response: { id: crm.id, name: body.name, tags: body.tag, mailed: mail.ok }
            GET /motd:
              steps:
                motd: { upstream: a, path: /motd, responseType: text }
            GET /logo:
              steps:
                logo: { upstream: a, path: /logo.png }
            POST /notes:
              auth: jwt
              scopes: [files:read]
              requestBody: { jsonWithoutContentType: true }
              steps:
                n: { upstream: a, method: POST, path: /notes, body: { text: "{body.text}" } }
      """;

  /** A body no text decoding survives: every byte value, twice. */
  private static final byte[] BINARY = new byte[512];

  static {
    for (int i = 0; i < BINARY.length; i++) {
      BINARY[i] = (byte) i;
    }
  }

  @BeforeAll
  static void keys() {
    tokens = new Tokens();
  }

  private void startGateway() {
    c.on("/jwks", FakeUpstream.json(Tokens.jwks(tokens.rsa)));
    start(CONFIG);
  }

  private String token(String scope) {
    return tokens.rs256(Tokens.claims(clock).claim("scope", scope).build());
  }

  private HttpResponse<byte[]> getBytes(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  /** The upstream's binary answer with two cookies and hop-by-hop headers. */
  private static FakeUpstream.Behaviour binaryFile() {
    return (req, body) ->
        req.response()
            .setStatusCode(200)
            .putHeader("content-type", "image/png")
            .putHeader("set-cookie", (Iterable<String>) List.of("a=1; Path=/", "b=2; Path=/"))
            .putHeader("x-file-version", "7")
            .putHeader("connection", "keep-alive, x-secret-hop")
            .putHeader("x-secret-hop", "internal")
            .putHeader("keep-alive", "timeout=5")
            .putHeader("etag", "\"v7\"")
            .end(Buffer.buffer(BINARY));
  }

  @Test
  void binaryAnswerPassesByteExactWithEveryCookieLineAndNoHopByHopHeaders() {
    a.on("/files/", binaryFile());
    startGateway();
    HttpResponse<byte[]> r = getBytes("/files/logo%20v2.png", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(BINARY);
    assertThat(r.headers().firstValue("content-type")).hasValue("image/png");
    assertThat(r.headers().allValues("set-cookie")).containsExactly("a=1; Path=/", "b=2; Path=/");
    assertThat(r.headers().firstValue("x-file-version")).hasValue("7");
    assertThat(r.headers().firstValue("etag")).as("the upstream's own ETag").hasValue("\"v7\"");
    assertThat(r.headers().firstValue("x-secret-hop")).as("named in Connection").isEmpty();
    assertThat(r.headers().firstValue("keep-alive")).isEmpty();
    assertThat(r.headers().firstValue("content-length")).hasValue("512");
    // The upstream got the templated path (percent-encoded value), the proxy's header, and no
    // client header it was not given.
    FakeUpstream.Received got = a.received().get(0);
    assertThat(got.uri()).isEqualTo("/files/logo%20v2.png");
    assertThat(got.headers().get("x-tenant")).isEqualTo("acme");
    assertThat(got.headers().get("accept")).isEqualTo("*/*");
  }

  @Test
  void upstreamStatusBelow500PassesAnd5xxIsAProblem() {
    a.on(
        "/files/missing",
        (req, body) ->
            req.response().setStatusCode(404).putHeader("content-type", "text/plain").end("nope"));
    a.on("/files/broken", FakeUpstream.json(503, "{\"down\":true}"));
    startGateway();
    HttpResponse<String> missing = gw.get("/files/missing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("nope");
    assertThat(missing.headers().firstValue("content-type")).hasValue("text/plain");
    HttpResponse<String> broken = gw.get("/files/broken");
    assertThat(broken.statusCode()).isEqualTo(502);
    assertThat(broken.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(broken).get("step").asText()).isEqualTo("proxy");
  }

  @Test
  void responseCacheClientCacheAndMetricsCoverAProxyRoute() {
    a.on(
        "/files/",
        (req, body) ->
            req.response()
                .putHeader("content-type", "application/pdf")
                .putHeader("content-disposition", "attachment")
                .end(Buffer.buffer(BINARY)));
    startGateway();
    HttpResponse<byte[]> miss = getBytes("/cached/1", null);
    HttpResponse<byte[]> hit = getBytes("/cached/1", null);
    assertThat(miss.headers().firstValue("x-cache")).hasValue("MISS");
    assertThat(miss.headers().firstValue("content-disposition")).hasValue("attachment");
    assertThat(hit.headers().firstValue("x-cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo(BINARY);
    assertThat(hit.headers().firstValue("content-type")).hasValue("application/pdf");
    assertThat(hit.headers().firstValue("cache-control")).hasValue("public, max-age=60");
    assertThat(a.received()).as("the hit made no call").hasSize(1);
    String etag = hit.headers().firstValue("etag").orElseThrow();
    HttpResponse<String> notModified =
        gw.request(HttpRequest.newBuilder(gw.uri("/cached/1")).header("If-None-Match", etag));
    assertThat(notModified.statusCode()).isEqualTo(304);
    dev.medley.testing.Prometheus m =
        dev.medley.testing.Prometheus.parse(gw.admin("/metrics", "t0ken").body());
    assertThat(
            m.find(
                "medley_requests_total",
                java.util.Map.of("route", "GET /cached/{id}", "status_class", "2xx")))
        .singleElement()
        .extracting(dev.medley.testing.Prometheus.Sample::value)
        .isEqualTo(2.0);
  }

  @Test
  void traversalInTheProxyPathIsRefusedBeforeAnyCall() {
    a.on("/", binaryFile());
    startGateway();
    HttpResponse<String> r = gw.get("/files/..%2Fadmin");
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 404);
    assertThat(a.received()).isEmpty();
  }

  @Test
  void answerOverTheUpstreamsSizeLimitIsA502() {
    a.on(
        "/files/huge",
        (req, body) ->
            req.response()
                .putHeader("content-type", "application/octet-stream")
                .end(Buffer.buffer(new byte[70 * 1024])));
    startGateway();
    HttpResponse<String> r = gw.get("/files/huge");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
  }

  @Test
  void authScopesAndRateLimitsStillGuardAProxyRoute() {
    a.on("/files/", binaryFile());
    startGateway();
    assertThat(getBytes("/secure/files/1", null).statusCode()).isEqualTo(401);
    assertThat(getBytes("/secure/files/1", token("other")).statusCode()).isEqualTo(403);
    assertThat(a.received()).as("refused before any upstream call").isEmpty();
    HttpResponse<byte[]> ok = getBytes("/secure/files/1", token("files:read"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(BINARY);
    assertThat(a.received().get(0).headers().get("authorization"))
        .as("the caller's token is not passed on unless asked")
        .isNull();
    assertThat(getBytes("/secure/files/1", token("files:read")).statusCode()).isEqualTo(429);
    assertThat(a.received()).hasSize(1);
  }

  @Test
  void clientBytesAreForwardedWithTheirContentType() {
    a.on(
        "/store/",
        (req, body) -> {
          assertThat(body.getBytes()).isEqualTo(BINARY);
          req.response().setStatusCode(201).putHeader("location", "/store/9").end();
        });
    startGateway();
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/store/9"))
                .header("Content-Type", "application/pdf")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(BINARY)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("location")).hasValue("/store/9");
    FakeUpstream.Received got = a.received().get(0);
    assertThat(got.method()).isEqualTo("PUT");
    assertThat(got.headers().get("content-type")).isEqualTo("application/pdf");
    assertThat(got.headers().get("content-length")).isEqualTo("512");
  }

  @Test
  void oneFormBodyIsReplayedToParallelAndChainedStepsAndReadableAsFields() {
    String form = "name=Ada+L%C3%B6w&tag=a&tag=b&note=x%26y%3Dz";
    a.on("/crm", FakeUpstream.json("{\"id\":42}"));
    b.on("/audit", FakeUpstream.json("{\"ok\":true}"));
    b.on("/mail/", FakeUpstream.json("{\"ok\":true}"));
    startGateway();
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/contact"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).toString())
        .isEqualTo("{\"id\":42,\"name\":\"Ada Löw\",\"tags\":[\"a\",\"b\"],\"mailed\":true}");
    // crm and audit run in parallel, mail after crm: all three got the same bytes and type.
    List<FakeUpstream.Received> all = new java.util.ArrayList<>(a.received());
    all.addAll(b.received());
    assertThat(all)
        .extracting(FakeUpstream.Received::uri)
        .containsExactlyInAnyOrder("/crm", "/audit", "/mail/42");
    for (FakeUpstream.Received got : all) {
      assertThat(got.body()).as(got.uri()).isEqualTo(form);
      assertThat(got.headers().get("content-type"))
          .as(got.uri())
          .isEqualTo("application/x-www-form-urlencoded");
      assertThat(got.method()).isEqualTo("POST");
    }
  }

  @Test
  void aFormIsRefusedWhereOnlyJsonIsAccepted() {
    startGateway();
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/store/1"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("a=1")));
    // bytes accepts any type, so this one passes; the JSON-only route below does not.
    assertThat(r.statusCode()).isNotEqualTo(415);
    HttpResponse<String> json =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/notes"))
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + token("files:read"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")));
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(json.headers().firstValue("accept-post")).hasValue("application/json");
  }

  @Test
  void textAnswerIsAStringAndABinaryOneIsAClear502() {
    a.on(
        "/motd",
        (req, body) ->
            req.response()
                .putHeader("content-type", "text/plain; charset=ISO-8859-1")
                .end(Buffer.buffer("Gr\u00fc\u00dfe".getBytes(StandardCharsets.ISO_8859_1))));
    a.on("/logo.png", binaryFile());
    startGateway();
    HttpResponse<String> motd = gw.get("/motd");
    assertThat(motd.statusCode()).isEqualTo(200);
    assertThat(json(motd).toString()).isEqualTo("{\"motd\":\"Grüße\"}");
    HttpResponse<String> logo = gw.get("/logo");
    assertThat(logo.statusCode()).isEqualTo(502);
    assertThat(json(logo).get("detail").asText()).contains("image/png").contains("not JSON");
  }

  @Test
  void jsonWithoutContentTypeIsReadOnABearerOnlyRoute() {
    a.on("/notes", FakeUpstream.echo());
    startGateway();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(gw.uri("/notes"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}"));
    HttpResponse<String> anonymous = gw.request(b.copy());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> r = gw.request(b.header("Authorization", "Bearer " + token("files:read")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(a.received().get(0).body()).isEqualTo("{\"text\":\"hi\"}");
    assertThat(a.received().get(0).headers().get("content-type")).isEqualTo("application/json");
  }

  @Test
  void theProxyRoutesDeadlineStillApplies() {
    a.on("/files/slow", a.stall());
    startGateway();
    CompletableFuture<HttpResponse<String>> pending = gw.getAsync("/files/slow");
    a.awaitRequests(1);
    clock.advance(java.time.Duration.ofMillis(500));
    HttpResponse<String> r = dev.medley.testing.Harness.await(pending);
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
  }
}
