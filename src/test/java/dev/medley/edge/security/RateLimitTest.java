package dev.medley.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Prometheus;
import dev.medley.testing.Tokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Token-bucket tiers on the manual clock: exact budgets, refill, Retry-After and the IETF headers.
 */
class RateLimitTest extends GatewayTest {
  private static final String HEAD =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      """;

  private List<HttpResponse<String>> burst(int n, String path, String... headers) {
    List<HttpResponse<String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path));
      for (int h = 0; h < headers.length; h += 2) {
        b.header(headers[h], headers[h + 1]);
      }
      out.add(gw.request(b));
    }
    return out;
  }

  private static long count(List<HttpResponse<String>> rs, int status) {
    return rs.stream().filter(r -> r.statusCode() == status).count();
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(r.body(), e);
    }
  }

  private void startGlobal() {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(
        HEAD
            + """
        server: { admin: { token: "${env:ADMIN_TOKEN}" } }
        experiences:
          web:
            basePath: /web
            routes:
              GET /p:
                rateLimits: [ { key: global, rate: 10/s, burst: 10 } ]
                steps: { p: { upstream: a, path: /p } }
        """);
  }

  @Test
  void exactlyBurstOfImmediateRequestsPassAndTheRestGet429WithRetryAfter() {
    startGlobal();
    List<HttpResponse<String>> rs = burst(25, "/web/p");
    assertThat(count(rs, 200)).isEqualTo(10);
    assertThat(count(rs, 429)).isEqualTo(15);
    assertThat(rs.subList(0, 10)).allMatch(r -> r.statusCode() == 200);
    assertThat(a.received()).as("refused requests never reach the upstream").hasSize(10);

    HttpResponse<String> refused = rs.get(10);
    // One token every 100ms: the next one is 100ms away, which Retry-After rounds up to 1s.
    assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(refused.headers().firstValue("ratelimit-policy")).hasValue("\"global\";q=10;w=1");
    assertThat(refused.headers().firstValue("ratelimit")).hasValue("\"global\";r=0;t=1");
    assertThat(json(refused).get("type").asText()).isEqualTo("urn:medley:problem:rate-limited");
    assertThat(json(refused).get("retryAfter").asInt()).isEqualTo(1);

    Prometheus metrics = Prometheus.parse(gw.admin("/metrics", ADMIN_TOKEN).body());
    assertThat(metrics.value("medley_rate_limited_total", Map.of("experience", "web")))
        .as("every 429 is counted against its experience")
        .isEqualTo(15.0);
  }

  @Test
  void acceptedResponsesCarryTheRemainingBudget() {
    startGlobal();
    List<HttpResponse<String>> rs = burst(3, "/web/p");
    assertThat(rs.get(0).headers().firstValue("ratelimit")).hasValue("\"global\";r=9;t=1");
    assertThat(rs.get(2).headers().firstValue("ratelimit")).hasValue("\"global\";r=7;t=1");
    assertThat(rs.get(0).headers().firstValue("ratelimit-policy")).hasValue("\"global\";q=10;w=1");
  }

  @Test
  void budgetRefillsWithTheClockUpToTheBurst() {
    startGlobal();
    assertThat(count(burst(25, "/web/p"), 200)).isEqualTo(10);

    clock.advance(Duration.ofMillis(500));
    List<HttpResponse<String>> half = burst(8, "/web/p");
    assertThat(count(half, 200)).as("500ms at 10/s earns 5 tokens").isEqualTo(5);
    assertThat(half.get(5).statusCode()).isEqualTo(429);

    clock.advance(Duration.ofMillis(100));
    assertThat(count(burst(3, "/web/p"), 200)).as("100ms earns one").isEqualTo(1);

    clock.advance(Duration.ofSeconds(60));
    assertThat(count(burst(25, "/web/p"), 200))
        .as("a long pause refills to the burst, never beyond")
        .isEqualTo(10);
  }

  @Test
  void bucketsAreKeyedPerHeaderValue() {
    a.on("/", FakeUpstream.json("{}"));
    start(
        HEAD
            + """
        experiences:
          partner:
            rateLimits: [ { key: header.x-api-key, rate: 2/min, burst: 2, name: per-key } ]
            routes:
              GET /p:
                steps: { p: { upstream: a, path: /p } }
        """);
    assertThat(count(burst(5, "/p", "X-Api-Key", "k1"), 200)).isEqualTo(2);
    assertThat(count(burst(5, "/p", "X-Api-Key", "k2"), 200))
        .as("another key has its own bucket")
        .isEqualTo(2);
    HttpResponse<String> r = burst(1, "/p", "X-Api-Key", "k1").get(0);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).as("one token every 30s").hasValue("30");
    assertThat(r.headers().firstValue("ratelimit-policy")).hasValue("\"per-key\";q=2;w=60");
    assertThat(count(burst(3, "/p"), 200))
        .as("requests without the header share one bucket")
        .isEqualTo(2);
  }

  @Test
  void bucketsAreKeyedPerVerifiedClaimAndTiersStack() {
    Tokens tokens = new Tokens();
    c.on("/jwks", FakeUpstream.json(Tokens.jwks(tokens.rsa)));
    a.on("/", FakeUpstream.json("{}"));
    start(
        HEAD
            + """
        auth:
          jwt:
            issuer: https://issuer.test/
            audiences: api.test
            jwks: "${env:C}/jwks"
            algorithms: [RS256]
        experiences:
          web:
            basePath: /web
            rateLimits: [ { key: claim.sub, rate: 3/s, burst: 3, name: per-user } ]
            routes:
              GET /p:
                rateLimits: [ { key: global, rate: 5/s, burst: 5, name: route } ]
                steps: { p: { upstream: a, path: /p } }
        """);
    String alice = "Bearer " + tokens.valid(clock);
    String bob = "Bearer " + tokens.rs256(Tokens.claims(clock).subject("bob").build());
    List<HttpResponse<String>> forAlice = burst(4, "/web/p", "Authorization", alice);
    assertThat(count(forAlice, 200)).isEqualTo(3);
    assertThat(forAlice.get(3).headers().firstValue("ratelimit")).hasValue("\"per-user\";r=0;t=1");
    assertThat(forAlice.get(0).headers().allValues("ratelimit"))
        .as("both tiers report their budget")
        .containsExactlyInAnyOrder("\"route\";r=4;t=1", "\"per-user\";r=2;t=1");

    List<HttpResponse<String>> forBob = burst(4, "/web/p", "Authorization", bob);
    // The global tier needs no claims, so it runs before authentication: alice's four requests, the
    // refused one included, spent four of its five tokens; bob's own per-user bucket is still full.
    assertThat(count(forBob, 200)).isEqualTo(1);
    HttpResponse<String> refused = forBob.get(1);
    assertThat(json(refused).get("policy").asText()).isEqualTo("route");
  }

  @Test
  void failedAuthenticationStillSpendsTheIpBudget() {
    Tokens tokens = new Tokens();
    c.on("/jwks", FakeUpstream.json(Tokens.jwks(tokens.rsa)));
    start(
        HEAD
            + """
        auth:
          jwt:
            issuer: https://issuer.test/
            audiences: api.test
            jwks: "${env:C}/jwks"
            algorithms: [RS256]
        experiences:
          web:
            rateLimits: [ { key: ip, rate: 1/min, burst: 3 } ]
            routes:
              GET /p:
                steps: { p: { upstream: a, path: /p } }
        """);
    List<HttpResponse<String>> rs = burst(5, "/p", "Authorization", "Bearer forged.token.value");
    assertThat(rs).extracting(HttpResponse::statusCode).containsExactly(401, 401, 401, 429, 429);
  }
}
