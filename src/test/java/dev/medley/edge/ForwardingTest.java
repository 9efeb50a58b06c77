package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import io.vertx.core.MultiMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Forwarding policies and upstream answer headers end to end: fake upstreams on real sockets assert
 * the exact header set and query they received; the client sees the copied headers, each {@code
 * Set-Cookie} line of two upstreams (one spoken to over the lean HTTP/1.1 client, one over the
 * Vert.x client with h2c) as its own line, a composed {@code Cache-Control}, and {@code no-store}
 * on a partial answer.
 */
class ForwardingTest extends GatewayTest {
  /** What every upstream call carries without any forwarding (the host line aside). */
  private static final Set<String> BASE = Set.of("accept", "x-request-id", "x-request-timeout-ms");

  private static final String HEAD =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}", http2: h2c }
        c: { url: "${env:C}" }
      experiences:
        web:
      """;

  @Test
  void forwardsNothingOfTheClientsByDefault() {
    a.on("/p", FakeUpstream.json("{}"));
    start(
        HEAD
            + """
                routes:
                  GET /p:
                    steps:
                      p: { upstream: a, path: "/p", query: { fixed: "1" } }
            """);
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/p?x=1&debug=true"))
                .header("Cookie", "session=secret")
                .header("Authorization", "Bearer token")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("Accept-Language", "fr"));
    assertThat(r.statusCode()).isEqualTo(200);
    FakeUpstream.Received got = a.received().get(0);
    assertThat(got.uri()).isEqualTo("/p?fixed=1");
    assertThat(names(got.headers())).isEqualTo(BASE);
  }

  @Test
  void allowListPassesExactlyTheNamedHeadersAndParameters() {
    a.on("/p", FakeUpstream.json("{}"));
    start(
        HEAD
            + """
                routes:
                  GET /p:
                    forward:
                      headers: { allow: [Accept-Language, X-Client-*, Cookie, Authorization] }
                      query: { allow: [lang, tag] }
                    steps:
                      p: { upstream: a, path: "/p", query: { lang: "de" } }
            """);
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/p?lang=en&tag=a&tag=b%20c&secret=s"))
                .header("Accept-Language", "fr")
                .header("X-Client-Version", "3.1")
                .header("Cookie", "session=1")
                .header("Authorization", "Bearer t")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("X-Medley-Debug", "1")
                .header("X-Other", "no"));
    assertThat(r.statusCode()).isEqualTo(200);
    FakeUpstream.Received got = a.received().get(0);
    // The step's own lang wins over the client's; repeated tags stay repeated.
    assertThat(got.uri()).isEqualTo("/p?lang=de&tag=a&tag=b%20c");
    assertThat(names(got.headers()))
        .isEqualTo(plus("accept-language", "x-client-version", "cookie", "authorization"));
    assertThat(got.headers().get("accept-language")).isEqualTo("fr");
    assertThat(got.headers().get("cookie")).isEqualTo("session=1");
    assertThat(got.headers().get("authorization")).isEqualTo("Bearer t");
  }

  @Test
  void allExceptNeverPassesCredentialsHopByHopOrSpoofableHeaders() throws IOException {
    a.on("/p", FakeUpstream.json("{}"));
    start(
        HEAD
            + """
                routes:
                  GET /p:
                    forward:
                      headers: { except: [X-Debug] }
                      query: { except: [token] }
                    steps:
                      p: { upstream: a, path: "/p" }
            """);
    String answer =
        raw(
            "GET /p?token=t&page=2 HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Connection: close\r\n"
                + "Connection: X-Hop\r\n"
                + "X-Hop: 1\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Cookie: session=1\r\n"
                + "Authorization: Bearer t\r\n"
                + "Proxy-Authorization: Basic x\r\n"
                + "X-Forwarded-For: 203.0.113.9\r\n"
                + "Forwarded: for=203.0.113.9\r\n"
                + "X-Real-IP: 203.0.113.9\r\n"
                + "X-Medley-Explain: 1\r\n"
                + "X-Debug: 1\r\n"
                + "Accept-Encoding: gzip\r\n"
                + "If-None-Match: \"x\"\r\n"
                + "Accept: text/html\r\n"
                + "X-Team: blue\r\n"
                + "User-Agent: raw-test\r\n"
                + "\r\n");
    assertThat(answer).startsWith("HTTP/1.1 200");
    FakeUpstream.Received got = a.received().get(0);
    assertThat(got.uri()).isEqualTo("/p?page=2");
    assertThat(names(got.headers())).isEqualTo(plus("x-team", "user-agent"));
    assertThat(got.headers().get("accept")).isEqualTo("application/json");
  }

  @Test
  void claimHeadersAClientSendsStayStrippedUnderAllExcept() {
    a.on("/p", FakeUpstream.json("{}"));
    start(
        """
        version: 1
        upstreams:
          a: { url: "${env:A}" }
        auth:
          jwt:
            issuer: https://issuer.test/
            audiences: [api.test]
            jwks: "http://127.0.0.1:1/jwks"
            algorithms: [RS256]
            forwardClaims: { sub: x-user-sub }
        experiences:
          web:
            auth: none
            forward:
              headers: { except: [] }
            routes:
              GET /p:
                steps:
                  p: { upstream: a, path: "/p" }
        """);
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/p"))
                .header("X-User-Sub", "admin")
                .header("X-Medley-Admin-Token", "guess")
                .header("X-Team", "blue"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(names(a.received().get(0).headers())).isEqualTo(plus("x-team", "user-agent"));
  }

  @Test
  void theNearestPolicyWinsPerHeadersAndQuery() {
    a.on("/a", FakeUpstream.json("{}"));
    b.on("/b", FakeUpstream.json("{}"));
    c.on("/c", FakeUpstream.json("{}"));
    start(
        HEAD
            + """
                forward:
                  headers: { allow: [Accept-Language] }
                routes:
                  GET /p:
                    forward:
                      query: { allow: [q] }
                    steps:
                      a: { upstream: a, path: "/a" }
                      b: { upstream: b, path: "/b", forward: { headers: { allow: [] } } }
                      c:
                        upstream: c
                        path: "/c"
                        forward: { headers: { allow: [X-Team] }, query: { allow: [] } }
            """);
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/p?q=shoes&page=2"))
                .header("Accept-Language", "fr")
                .header("X-Team", "blue"));
    assertThat(r.statusCode()).isEqualTo(200);
    FakeUpstream.Received ga = a.received().get(0);
    assertThat(ga.uri()).isEqualTo("/a?q=shoes");
    assertThat(names(ga.headers())).isEqualTo(plus("accept-language"));
    FakeUpstream.Received gb = b.received().get(0);
    assertThat(gb.uri()).isEqualTo("/b?q=shoes");
    assertThat(names(gb.headers())).doesNotContain("accept-language", "x-team");
    FakeUpstream.Received gc = c.received().get(0);
    assertThat(gc.uri()).isEqualTo("/c");
    assertThat(names(gc.headers())).isEqualTo(plus("x-team"));
  }

  @Test
  void copiesAllowListedAnswerHeadersKeepingEverySetCookieLine() {
    a.on(
        "/a",
        (req, body) ->
            req.response()
                .putHeader("content-type", "application/json")
                .putHeader("set-cookie", java.util.List.<String>of("a=1; Path=/", "a2=2; HttpOnly"))
                .putHeader("link", "</p?page=2>; rel=\"next\"")
                .putHeader("x-ratelimit-remaining", "9")
                .putHeader("x-internal-secret", "s")
                .putHeader("etag", "\"upstream\"")
                .end("{\"x\":1}"));
    b.on(
        "/b",
        (req, body) ->
            req.response()
                .putHeader("content-type", "application/json")
                .putHeader("set-cookie", "b=1; Secure")
                .putHeader("x-ratelimit-remaining", "4")
                .end("{\"y\":2}"));
    start(
        HEAD
            + """
                routes:
                  GET /p:
                    responseHeaders: { allow: [Set-Cookie, Link, X-RateLimit-*] }
                    steps:
                      a: { upstream: a, path: "/a" }
                      b: { upstream: b, path: "/b" }
            """);
    HttpResponse<String> r = gw.get("/p");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(b.received().get(0).headers().names()).isNotEmpty();
    assertThat(r.headers().allValues("set-cookie"))
        .containsExactly("a=1; Path=/", "a2=2; HttpOnly", "b=1; Secure");
    assertThat(r.headers().allValues("x-ratelimit-remaining")).containsExactly("9", "4");
    assertThat(r.headers().allValues("link")).containsExactly("</p?page=2>; rel=\"next\"");
    assertThat(r.headers().map()).doesNotContainKey("x-internal-secret");
    assertThat(r.headers().firstValue("etag")).get().asString().doesNotContain("upstream");
  }

  @Test
  void composesCacheControlFromTheRouteAndEveryUpstreamAnswer() {
    a.on(
        "/a",
        (req, body) ->
            req.response()
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "public, max-age=60")
                .end("{}"));
    b.on("/b/fine", cacheControlled("public, max-age=120, s-maxage=20, must-revalidate"));
    b.on("/b/private", cacheControlled("private, max-age=30"));
    b.on("/b/nostore", cacheControlled("no-store"));
    c.on("/c", FakeUpstream.json("{}")); // says nothing: the route's value stands in
    start(
        HEAD
            + """
                routes:
                  GET /p/{mode}:
                    cacheControl: "public, max-age=300"
                    responseHeaders: { cacheControl: composed }
                    steps:
                      a: { upstream: a, path: "/a" }
                      b: { upstream: b, path: "/b/{mode}" }
                      c: { upstream: c, path: "/c" }
                  GET /plain:
                    cacheControl: "public, max-age=300"
                    steps:
                      c: { upstream: c, path: "/c" }
            """);
    assertThat(gw.get("/p/fine").headers().firstValue("cache-control"))
        .hasValue("public, max-age=60, s-maxage=20, must-revalidate");
    assertThat(gw.get("/p/private").headers().firstValue("cache-control"))
        .hasValue("private, max-age=30");
    assertThat(gw.get("/p/nostore").headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(gw.get("/plain").headers().firstValue("cache-control"))
        .as("a route that does not compose keeps its own value")
        .hasValue("public, max-age=300");
  }

  @Test
  void aPartialAnswerGetsNoStoreAndNoHeadersOfTheFailedStep() {
    a.on(
        "/a",
        (req, body) ->
            req.response()
                .putHeader("content-type", "application/json")
                .putHeader("set-cookie", "a=1")
                .end("{}"));
    b.on("/b/ok", FakeUpstream.json("{}"));
    b.on(
        "/b/down",
        (req, body) -> req.response().setStatusCode(500).putHeader("set-cookie", "b=bad").end());
    start(
        HEAD
            + """
                routes:
                  GET /p/{mode}:
                    cacheControl: "public, max-age=300"
                    responseHeaders: { allow: [Set-Cookie] }
                    steps:
                      a: { upstream: a, path: "/a" }
                      b: { upstream: b, path: "/b/{mode}", optional: null }
                  GET /q/{mode}:
                    cacheControl: "public, max-age=300"
                    steps:
                      b: { upstream: b, path: "/b/{mode}", optional: {} }
            """);
    HttpResponse<String> full = gw.get("/p/ok");
    assertThat(full.headers().firstValue("cache-control")).hasValue("public, max-age=300");
    HttpResponse<String> partial = gw.get("/p/down");
    assertThat(partial.statusCode()).isEqualTo(200);
    assertThat(partial.headers().firstValue("x-medley-partial")).hasValue("b");
    assertThat(partial.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(partial.headers().allValues("set-cookie")).containsExactly("a=1");
    // No forwarding or copying configured at all: the degraded answer still is never cacheable.
    HttpResponse<String> plain = gw.get("/q/down");
    assertThat(plain.headers().firstValue("x-medley-partial")).hasValue("b");
    assertThat(plain.headers().firstValue("cache-control")).hasValue("no-store");
  }

  private static FakeUpstream.Behaviour cacheControlled(String value) {
    return (req, body) ->
        req.response()
            .putHeader("content-type", "application/json")
            .putHeader("cache-control", value)
            .end("{}");
  }

  /** Header names as the upstream saw them, lower-case, the host line (or :authority) aside. */
  private static Set<String> names(MultiMap headers) {
    Set<String> out = new HashSet<>();
    headers.names().forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    out.remove("host");
    return out;
  }

  private static Set<String> plus(String... more) {
    Set<String> out = new HashSet<>(BASE);
    out.addAll(Set.of(more));
    return out;
  }

  /** Sends {@code request} as written (headers java.net.http refuses included); reads to EOF. */
  private String raw(String request) throws IOException {
    URI base = gw.uri("/");
    try (Socket s = new Socket("127.0.0.1", base.getPort())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      in.transferTo(got);
      return got.toString(StandardCharsets.UTF_8);
    }
  }
}
