package dev.medley.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Upstreams get the gateway's own credentials, never the caller's: OAuth2 client-credentials tokens
 * from a fake token endpoint on 127.0.0.1, cached until shortly before expiry on the manual clock,
 * shared by concurrent calls; and the caller's Authorization only where a route opts in.
 */
class ServiceCredentialsTest extends GatewayTest {
  private final AtomicInteger issued = new AtomicInteger();

  private static final String CONFIG =
      """
      version: 1
      upstreams:
        a:
          url: "${env:A}"
          oauth2:
            tokenUrl: "${env:B}/oauth/token"
            clientId: medley
            clientSecret: s3cret:with/odd chars
            scopes: [catalog.read, catalog.write]
            refreshBefore: 30s
      experiences:
        web:
          routes:
            GET /p:
              steps: { p: { upstream: a, path: /p } }
      """;

  /** A token endpoint that checks the client's credentials and issues t1, t2, ... living 120s. */
  private void tokenEndpoint() {
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    "medley:s3cret%3Awith%2Fodd%20chars".getBytes(StandardCharsets.UTF_8));
    b.on(
        "/oauth/token",
        (req, body) -> {
          boolean ok =
              req.method().name().equals("POST")
                  && basic.equals(req.getHeader("authorization"))
                  && body.toString()
                      .equals("grant_type=client_credentials&scope=catalog.read%20catalog.write");
          if (!ok) {
            req.response().setStatusCode(401).end("{\"error\":\"invalid_client\"}");
            return;
          }
          req.response()
              .putHeader("content-type", "application/json")
              .end(
                  "{\"access_token\":\"t"
                      + issued.incrementAndGet()
                      + "\",\"token_type\":\"Bearer\",\"expires_in\":120}");
        });
  }

  private String lastAuthorization() {
    var all = a.received();
    return all.get(all.size() - 1).headers().get("authorization");
  }

  @Test
  void fetchesATokenOnceAndSendsItUntilShortlyBeforeItExpires() {
    tokenEndpoint();
    a.on("/", FakeUpstream.json("{}"));
    start(CONFIG);
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/p")).header("Authorization", "Bearer user-token"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(lastAuthorization())
        .as("the service token, never the user's")
        .isEqualTo("Bearer t1");
    assertThat(gw.get("/p").statusCode()).isEqualTo(200);
    assertThat(lastAuthorization()).isEqualTo("Bearer t1");
    assertThat(b.count("/oauth/token")).as("cached").isEqualTo(1);

    clock.advance(Duration.ofSeconds(89));
    gw.get("/p");
    assertThat(lastAuthorization()).as("still 31s to live").isEqualTo("Bearer t1");
    clock.advance(Duration.ofSeconds(1));
    gw.get("/p");
    assertThat(lastAuthorization()).as("refreshed 30s before expiry").isEqualTo("Bearer t2");
    assertThat(b.count("/oauth/token")).isEqualTo(2);
  }

  @Test
  void concurrentCallsShareOneTokenRequest() {
    tokenEndpoint();
    a.on("/", FakeUpstream.json("{}"));
    b.on("/oauth/token", b.stall());
    start(CONFIG);
    CompletableFuture<HttpResponse<String>> first = gw.getAsync("/p");
    CompletableFuture<HttpResponse<String>> second = gw.getAsync("/p");
    b.awaitRequests(1);
    b.releaseStalled("{\"access_token\":\"shared\",\"expires_in\":120}");
    assertThat(gw.await(first).statusCode()).isEqualTo(200);
    assertThat(gw.await(second).statusCode()).isEqualTo(200);
    assertThat(b.count("/oauth/token")).isEqualTo(1);
    assertThat(a.received())
        .extracting(x -> x.headers().get("authorization"))
        .containsOnly("Bearer shared");
  }

  @Test
  void upstream401DropsTheCachedTokenSoTheNextCallFetchesANewOne() {
    tokenEndpoint();
    a.on("/", FakeUpstream.json(401, "{\"error\":\"revoked\"}"));
    start(CONFIG);
    assertThat(gw.get("/p").statusCode()).isEqualTo(502);
    a.on("/", FakeUpstream.json("{}"));
    assertThat(gw.get("/p").statusCode()).isEqualTo(200);
    assertThat(lastAuthorization()).isEqualTo("Bearer t2");
  }

  @Test
  void tokenEndpointRefusalFailsTheStepWithoutCallingTheUpstream() {
    b.on("/oauth/token", FakeUpstream.json(401, "{\"error\":\"invalid_client\"}"));
    start(CONFIG);
    HttpResponse<String> r = gw.get("/p");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("could not get a service token for upstream 'a'");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void callersAuthorizationReachesTheUpstreamOnlyWhereTheRouteOptsIn() {
    var tokens = new dev.medley.testing.Tokens();
    c.on("/jwks", FakeUpstream.json(dev.medley.testing.Tokens.jwks(tokens.rsa)));
    a.on("/", FakeUpstream.json("{}"));
    start(
        """
        version: 1
        upstreams:
          a: { url: "${env:A}" }
        auth:
          jwt:
            issuer: https://issuer.test/
            audiences: api.test
            jwks: "${env:C}/jwks"
            algorithms: [RS256]
        experiences:
          web:
            routes:
              GET /plain:
                steps: { p: { upstream: a, path: /plain } }
              GET /delegated:
                forwardAuthorization: true
                steps: { p: { upstream: a, path: /delegated } }
        """);
    String auth = "Bearer " + tokens.valid(clock);
    gw.request(HttpRequest.newBuilder(gw.uri("/plain")).header("Authorization", auth));
    gw.request(HttpRequest.newBuilder(gw.uri("/delegated")).header("Authorization", auth));
    assertThat(a.received().get(0).headers().get("authorization")).isNull();
    assertThat(a.received().get(1).headers().get("authorization")).isEqualTo(auth);
  }
}
