package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whatever a client puts in a parameter, the upstream path keeps its shape: one encoded segment
 * under /raw/, no extra segments, query or fragment; and no value that a decoding server would
 * resolve elsewhere (dot-segments at any depth of encoding, encoded slashes or backslashes) ever
 * leaves the gateway. The upstream here decodes and normalizes like nginx (and, to be strict, keeps
 * decoding like a chain of proxies and splits on backslashes like a Windows server), and serves a
 * secret at /api/secret.
 */
class SafeTemplateTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}/api" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /raw/{p}:
              query: { q: {} }
              steps:
                product: { upstream: a, path: "/raw/{p}", query: { q: "{query.q}" }, headers: { X-Query: "{query.q}" } }
              response: product
            GET /search:
              query: { p: {} }
              steps:
                product: { upstream: a, path: "/raw/{query.p}" }
              response: product
            GET /files/{path}:
              params: { path: { allowEncodedSlashes: true } }
              steps:
                file: { upstream: a, path: "/files/{path}" }
              response: file
      """;

  /**
   * Decodes until nothing changes, treats {@code \} as {@code /}, and resolves dot-segments: what
   * the strictest server would serve.
   */
  static String resolve(String rawPath) {
    String p = rawPath;
    for (String d = decode(p); !d.equals(p); d = decode(p)) {
      p = d;
    }
    Deque<String> out = new ArrayDeque<>();
    for (String seg : p.replace('\\', '/').split("/")) {
      if (seg.equals("..")) {
        out.pollLast();
      } else if (!seg.isEmpty() && !seg.equals(".")) {
        out.addLast(seg);
      }
    }
    return "/" + String.join("/", out);
  }

  private static String decode(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '%'
          && i + 2 < s.length()
          && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        b.append(s.charAt(i));
      }
    }
    return b.toString();
  }

  /**
   * Serves the secret for /api/secret once decoded and normalized; echoes the resolved path
   * otherwise.
   */
  private void nginxLikeUpstream() {
    a.on(
        "/",
        (req, body) -> {
          String served = resolve(req.path());
          String answer =
              served.startsWith("/api/secret")
                  ? "{\"secret\":\"SECRET\"}"
                  : "{\"served\":" + io.vertx.core.json.Json.encode(served) + "}";
          req.response().putHeader("content-type", "application/json").end(answer);
        });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "encoded dot-dot-slash       | /web/raw/..%2Fsecret",
        "all encoded                 | /web/raw/%2e%2e%2fsecret",
        "upper-case encoded          | /web/raw/%2E%2E%2Fsecret",
        "backslash                   | /web/raw/..%5Csecret",
        "double-encoded slash        | /web/raw/..%252Fsecret",
        "double-encoded dots         | /web/raw/%252e%252e%252fsecret",
        "triple-encoded              | /web/raw/%25252e%25252e%25252fsecret",
        "double-encoded backslash    | /web/raw/..%255Csecret",
        "two levels                  | /web/raw/..%2F..%2Fapi%2Fsecret",
        "dot                         | /web/raw/.",
        "dot-dot                     | /web/raw/..",
        "encoded dot-dot             | /web/raw/%2E%2E",
        "double-encoded dot-dot      | /web/raw/%252e%252e",
        "dot-dot then encoded slash  | /web/raw/.%2E%2Fsecret",
        "encoded slash alone         | /web/raw/a%2Fb",
        "query value into the path   | /web/search?p=..%2Fsecret",
        "query value with a slash    | /web/search?p=a/b",
        "query value double-encoded  | /web/search?p=%252e%252e",
        "opted-in slashes, dot-dot   | /web/files/docs%2F..%2F..%2Fsecret",
        "opted-in slashes, backslash | /web/files/..%5C..%5Csecret",
      })
  void rejectsTraversalInPathValuesBeforeAnyUpstreamCall(String name, String target) {
    nginxLikeUpstream();
    start(CONFIG);
    HttpResponse<String> r = gw.get(target);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.body()).doesNotContain("SECRET");
    assertThat(a.received()).as("no upstream call").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "question mark        | 1%3Fadmin%3Dtrue      | /api/raw/1%3Fadmin%3Dtrue",
        "hash                 | 1%23frag              | /api/raw/1%23frag",
        "CR LF                | 1%0D%0AX-Evil:%201    | /api/raw/1%0D%0AX-Evil%3A%201",
        "unicode              | caf%C3%A9             | /api/raw/caf%C3%A9",
        "percent              | 100%25                | /api/raw/100%25",
        "dots inside          | a..b                  | /api/raw/a..b",
        "three dots           | ...                   | /api/raw/...",
      })
  void harmlessValuesKeepTheUpstreamPathInOneSegment(String name, String raw, String expected) {
    nginxLikeUpstream();
    start(CONFIG);
    HttpResponse<String> r = gw.get("/web/raw/" + raw);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String uri = a.received().get(0).uri();
    assertThat(uri).isEqualTo(expected);
    assertThat(uri.split("/")).hasSize(4);
  }

  @Test
  void aParameterThatOptsInSendsEncodedSlashesInsideOneSegment() {
    nginxLikeUpstream();
    start(CONFIG);
    HttpResponse<String> r = gw.get("/web/files/docs%2Freadme.md");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(a.received().get(0).uri()).isEqualTo("/api/files/docs%2Freadme.md");
    assertThat(r.body()).contains("/api/files/docs/readme.md");
  }

  @Test
  void refusalNamesTheParameterAndTheOptIn() {
    start(CONFIG);
    HttpResponse<String> r = gw.get("/web/raw/a%2Fb");
    assertThat(r.body())
        .contains("path parameter 'p' contains a slash")
        .contains("allowEncodedSlashes: true");
  }

  @Test
  void queryValuesAreEncodedAsOneParameter() {
    start(CONFIG);
    a.on("/api/raw", FakeUpstream.json("{\"ok\":true}"));
    gw.get("/web/raw/1?q=shoes%26admin%3D1%23x");
    assertThat(a.received().get(0).uri()).isEqualTo("/api/raw/1?q=shoes%26admin%3D1%23x");
  }

  @Test
  void lineBreaksNeverReachAnUpstreamHeader() {
    start(CONFIG);
    a.on("/api/raw", FakeUpstream.json("{\"ok\":true}"));
    HttpResponse<String> r = gw.get("/web/raw/1?q=a%0D%0AX-Admin:%20yes");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(a.received()).isEmpty();
  }
}
