package dev.medley.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.Tokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a bearer token can be wrong is refused with a 401/403 problem and never reaches an
 * upstream; a right one reaches the route with its claims. Keys are generated at test time and
 * served as a JWKS by a fake upstream on a real socket.
 */
class JwtAuthTest extends GatewayTest {
  private static Tokens tokens;

  static final String CONFIG =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      auth:
        jwt:
          issuer: https://issuer.test/
          audiences: [api.test, other.test]
          jwks: "${env:C}/jwks"
          algorithms: [RS256, ES256]
          forwardClaims: { sub: x-user-sub }
      experiences:
        web:
          basePath: /web
          routes:
            GET /me:
              scopes: [profile:read]
              headers: [x-user-sub]
              steps:
                me:
                  upstream: a
                  path: "/users/{claims.sub}"
                  headers: { x-user-sub: "{headers.x-user-sub}" }
              response: { sub: claims.sub, upstream: me }
            GET /admin:
              scopes: [admin]
              steps:
                me: { upstream: a, path: "/admin" }
            GET /public:
              auth: none
              headers: [x-user-sub]
              steps:
                me:
                  upstream: a
                  path: "/public"
                  headers: { x-user-sub: "{headers.x-user-sub}" }
      """;

  @BeforeAll
  static void keys() {
    tokens = new Tokens();
  }

  private void startWithJwks() {
    c.on("/jwks", FakeUpstream.json(Tokens.jwks(tokens.rsa, tokens.ec)));
    a.on("/", FakeUpstream.echo());
    start(CONFIG);
  }

  private HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return gw.request(b);
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  /** A 401 invalid_token problem naming {@code reason}, with no upstream call. */
  private void assertInvalidToken(HttpResponse<String> r, String reason) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.headers().firstValue("www-authenticate").orElseThrow())
        .startsWith("Bearer realm=\"medley\", error=\"invalid_token\"")
        .contains(reason);
    JsonNode p = json(r);
    assertThat(p.get("type").asText()).isEqualTo("urn:medley:problem:invalid-token");
    assertThat(p.get("status").asInt()).isEqualTo(401);
    assertThat(p.get("detail").asText()).contains(reason);
    assertThat(p.get("error").asText()).isEqualTo("invalid_token");
    assertThat(a.received()).as("no upstream call").isEmpty();
  }

  private String withClaims(java.util.function.UnaryOperator<JWTClaimsSet.Builder> change) {
    return tokens.rs256(change.apply(Tokens.claims(clock)).build());
  }

  @Test
  void validTokenReachesTheRouteWithItsClaims() {
    startWithJwks();
    HttpResponse<String> r = get("/web/me", tokens.valid(clock));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("sub").asText()).isEqualTo("alice");
    assertThat(json(r).at("/upstream/uri").asText()).isEqualTo("/users/alice");
  }

  @Test
  void ecTokenFromTheSameJwksIsAccepted() {
    startWithJwks();
    assertThat(get("/web/me", tokens.es256(Tokens.claims(clock).build())).statusCode())
        .isEqualTo(200);
  }

  @Test
  void rejectsRequestWithoutToken() {
    startWithJwks();
    HttpResponse<String> r = get("/web/me", null);
    assertThat(r.statusCode()).isEqualTo(401);
    // RFC 6750: a request with no credentials gets a challenge without an error code.
    assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"medley\"");
    assertThat(json(r).get("type").asText()).isEqualTo("urn:medley:problem:missing-token");
    assertThat(json(r).get("detail").asText()).contains("bearer token is required");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void rejectsBasicCredentialsAsMissingBearerToken() {
    startWithJwks();
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/me"))
                .header("Authorization", "Basic YWxpY2U6cHc="));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(json(r).get("type").asText()).isEqualTo("urn:medley:problem:missing-token");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void rejectsMalformedToken() {
    startWithJwks();
    assertInvalidToken(get("/web/me", "not-a.jwt"), "malformed");
    assertInvalidToken(get("/web/me", "eyJhbGciOiJSUzI1NiJ9.e30.%%%"), "malformed");
  }

  @Test
  void rejectsUnsignedAlgNoneToken() {
    startWithJwks();
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    String payload = Base64URL.encode(Tokens.claims(clock).build().toString()).toString();
    assertInvalidToken(get("/web/me", header + "." + payload + "."), "alg none");
  }

  @Test
  void rejectsHs256TokenSignedWithTheRsaPublicKeyAsSecret() throws Exception {
    startWithJwks();
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(tokens.rsa.getKeyID()).build(),
            Tokens.claims(clock).build());
    forged.sign(new MACSigner(tokens.rsa.toRSAPublicKey().getEncoded()));
    assertInvalidToken(get("/web/me", forged.serialize()), "algorithm HS256 is not accepted");
  }

  @Test
  void rejectsWrongSignature() {
    startWithJwks();
    // Signed by another key that claims the trusted key's id.
    String token =
        Tokens.sign(
            Tokens.header(JWSAlgorithm.RS256, tokens.rsa.getKeyID()).build(),
            Tokens.claims(clock).build(),
            tokens.otherRsa);
    assertInvalidToken(get("/web/me", token), "signature does not verify");
  }

  @Test
  void rejectsTamperedPayload() {
    startWithJwks();
    String[] parts = tokens.valid(clock).split("\\.");
    String admin =
        Base64URL.encode(
                Tokens.claims(clock)
                    .subject("root")
                    .claim("scope", "profile:read admin")
                    .build()
                    .toString())
            .toString();
    assertInvalidToken(
        get("/web/me", parts[0] + "." + admin + "." + parts[2]), "signature does not verify");
  }

  @Test
  void rejectsExpiredTokenBeyondTheClockSkew() {
    startWithJwks();
    String token = tokens.valid(clock);
    clock.advance(Duration.ofMinutes(5).plusSeconds(29));
    assertThat(get("/web/me", token).statusCode()).as("within the 30s skew").isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    int before = a.received().size();
    HttpResponse<String> r = get("/web/me", token);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(json(r).get("detail").asText()).contains("expired");
    assertThat(a.received()).hasSize(before);
  }

  @Test
  void rejectsExpiredToken() {
    startWithJwks();
    long now = clock.epochMillis();
    assertInvalidToken(
        get("/web/me", withClaims(c -> c.expirationTime(new Date(now - 31_000)))), "expired");
  }

  @Test
  void rejectsTokenWithoutExpiryByDefault() {
    startWithJwks();
    assertInvalidToken(get("/web/me", withClaims(c -> c.expirationTime(null))), "no expiry");
  }

  @Test
  void rejectsTokenNotYetValid() {
    startWithJwks();
    long now = clock.epochMillis();
    assertInvalidToken(
        get("/web/me", withClaims(c -> c.notBeforeTime(new Date(now + 60_000)))), "not valid yet");
  }

  @Test
  void rejectsWrongIssuer() {
    startWithJwks();
    assertInvalidToken(get("/web/me", withClaims(c -> c.issuer("https://evil.test/"))), "issuer");
  }

  @Test
  void rejectsWrongAudience() {
    startWithJwks();
    assertInvalidToken(get("/web/me", withClaims(c -> c.audience("someone-else"))), "audience");
  }

  @Test
  void rejectsAudienceArrayWithoutOurs() {
    startWithJwks();
    assertInvalidToken(
        get("/web/me", withClaims(c -> c.audience(List.of("x.test", "y.test")))), "audience");
  }

  @Test
  void acceptsAudienceArrayContainingOneOfOurs() {
    startWithJwks();
    assertThat(
            get("/web/me", withClaims(c -> c.audience(List.of("x.test", "other.test"))))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void rejectsUnknownCriticalHeader() {
    startWithJwks();
    String token =
        Tokens.sign(
            Tokens.header(JWSAlgorithm.RS256, tokens.rsa.getKeyID())
                .criticalParams(Set.of("exp-policy"))
                .customParam("exp-policy", "lenient")
                .build(),
            Tokens.claims(clock).build(),
            tokens.rsa);
    assertInvalidToken(get("/web/me", token), "critical header");
  }

  @Test
  void unknownKidTriggersExactlyOneJwksRefetchThenIsRejected() {
    startWithJwks();
    assertThat(c.count("/jwks")).as("fetched at start").isEqualTo(1);
    String stranger =
        Tokens.sign(
            Tokens.header(JWSAlgorithm.RS256, "rotated-away").build(),
            Tokens.claims(clock).build(),
            tokens.otherRsa);

    assertInvalidToken(get("/web/me", stranger), "key id is unknown");
    assertThat(c.count("/jwks")).as("one refetch for the unknown kid").isEqualTo(2);
    assertInvalidToken(get("/web/me", stranger), "key id is unknown");
    assertInvalidToken(get("/web/me", stranger), "key id is unknown");
    assertThat(c.count("/jwks")).as("no refetch within jwksMinRefreshInterval").isEqualTo(2);

    clock.advance(Duration.ofSeconds(30));
    assertInvalidToken(get("/web/me", stranger), "key id is unknown");
    assertThat(c.count("/jwks")).as("a new refetch once the interval has passed").isEqualTo(3);
  }

  @Test
  void rotatedKeyIsPickedUpByTheRefetch() {
    startWithJwks();
    c.on("/jwks", FakeUpstream.json(Tokens.jwks(tokens.rsa, tokens.otherRsa)));
    String rotated =
        Tokens.sign(
            Tokens.header(JWSAlgorithm.RS256, tokens.otherRsa.getKeyID()).build(),
            Tokens.claims(clock).build(),
            tokens.otherRsa);
    assertThat(get("/web/me", rotated).statusCode()).isEqualTo(200);
    assertThat(c.count("/jwks")).isEqualTo(2);
  }

  @Test
  void cachedKeysKeepWorkingThroughAJwksOutage() {
    startWithJwks();
    c.on("/jwks", FakeUpstream.json(503, "{\"error\":\"down\"}"));
    clock.advance(
        Duration.ofMinutes(11)); // past jwksRefresh: the next request triggers a refresh that fails
    String token = tokens.valid(clock);
    assertThat(get("/web/me", token).statusCode()).isEqualTo(200);
    c.awaitRequests(2);
    assertThat(get("/web/me", token).statusCode())
        .as("still served from the cached keys")
        .isEqualTo(200);
  }

  @Test
  void jwksUnreachableAtStartIsA503UntilItComesBack() {
    c.on("/jwks", FakeUpstream.json(500, "{}"));
    a.on("/", FakeUpstream.echo());
    start(CONFIG);
    HttpResponse<String> r = get("/web/me", tokens.valid(clock));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(json(r).get("type").asText()).isEqualTo("urn:medley:problem:auth-unavailable");
    assertThat(a.received()).isEmpty();

    c.on("/jwks", FakeUpstream.json(Tokens.jwks(tokens.rsa)));
    clock.advance(Duration.ofSeconds(30));
    assertThat(get("/web/me", tokens.valid(clock)).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenOverTheHeaderLimitIsRefusedBeforeVerification() {
    startWithJwks();
    String huge = withClaims(c -> c.claim("padding", "x".repeat(10_000)));
    HttpResponse<String> r = get("/web/me", huge);
    assertThat(r.statusCode())
        .as(r.body() + " " + huge.length() + " " + r.version())
        .isEqualTo(431);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(r).get("type").asText()).isEqualTo("urn:medley:problem:headers-too-large");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void rejectsTokenMissingARequiredScopeWith403() {
    startWithJwks();
    HttpResponse<String> r = get("/web/admin", tokens.valid(clock));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.headers().firstValue("www-authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"")
        .contains("scope=\"admin\"");
    JsonNode p = json(r);
    assertThat(p.get("type").asText()).isEqualTo("urn:medley:problem:insufficient-scope");
    assertThat(p.get("missingScopes").toString()).isEqualTo("[\"admin\"]");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void clientSentIdentityHeaderNeverReachesAnUpstreamButTheVerifiedOneDoes() {
    startWithJwks();
    HttpResponse<String> r =
        gw.request(
            HttpRequest.newBuilder(gw.uri("/web/me"))
                .header("Authorization", "Bearer " + tokens.valid(clock))
                .header("X-User-Sub", "root")
                .header("X-Medley-Trusted", "yes"));
    assertThat(r.statusCode()).isEqualTo(200);
    FakeUpstream.Received seen = a.received().get(0);
    assertThat(seen.headers().getAll("x-user-sub")).containsExactly("alice");
    assertThat(seen.headers().get("x-medley-trusted")).isNull();
    assertThat(seen.headers().get("authorization"))
        .as("the user's token stays at the edge")
        .isNull();

    r = gw.request(HttpRequest.newBuilder(gw.uri("/web/public")).header("X-User-Sub", "root"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(a.received().get(1).headers().get("x-user-sub"))
        .as("spoofed on a public route")
        .isNull();
  }

  @Test
  void typeCheckAcceptsOnlyTheConfiguredTokenType() {
    c.on("/jwks", FakeUpstream.json(Tokens.jwks(tokens.rsa)));
    a.on("/", FakeUpstream.echo());
    start(
        CONFIG.replace(
            "    algorithms: [RS256, ES256]\n",
            "    algorithms: [RS256, ES256]\n    type: at+jwt\n"));
    JWTClaimsSet claims = Tokens.claims(clock).build();
    String idToken =
        Tokens.sign(
            Tokens.header(JWSAlgorithm.RS256, "rsa-1").type(Tokens.type("JWT")).build(),
            claims,
            tokens.rsa);
    assertInvalidToken(get("/web/me", idToken), "type must be at+jwt");
    String access =
        Tokens.sign(
            Tokens.header(JWSAlgorithm.RS256, "rsa-1").type(Tokens.type("at+jwt")).build(),
            claims,
            tokens.rsa);
    assertThat(get("/web/me", access).statusCode()).isEqualTo(200);
    String longForm =
        Tokens.sign(
            Tokens.header(JWSAlgorithm.RS256, "rsa-1")
                .type(Tokens.type("application/at+jwt"))
                .build(),
            claims,
            tokens.rsa);
    assertThat(get("/web/me", longForm).statusCode()).isEqualTo(200);
  }

  @Test
  void keysFromALocalPemFileVerifyTokensWithoutAnyFetch(@TempDir Path dir) throws Exception {
    Path pem =
        Files.writeString(
            dir.resolve("issuer.pem"),
            "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(tokens.rsa.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
    a.on("/", FakeUpstream.echo());
    gw =
        Harness.start(
            vertx,
            CONFIG.replace("jwks: \"${env:C}/jwks\"", "publicKeyFile: \"${env:PEM}\""),
            Map.of("A", a.url(), "PEM", pem.toString()),
            clock);
    String stranger =
        Tokens.sign(
            Tokens.header(JWSAlgorithm.RS256, null).build(),
            Tokens.claims(clock).build(),
            tokens.otherRsa);
    assertInvalidToken(get("/web/me", stranger), "signature does not verify");
    assertThat(get("/web/me", tokens.valid(clock)).statusCode())
        .as("a PEM key names no kid: any kid may use it")
        .isEqualTo(200);
  }

  @Test
  void keysFromALocalJwksFile(@TempDir Path dir) throws Exception {
    Path jwks = Files.writeString(dir.resolve("jwks.json"), Tokens.jwks(tokens.ec));
    a.on("/", FakeUpstream.echo());
    gw =
        Harness.start(
            vertx,
            CONFIG.replace("jwks: \"${env:C}/jwks\"", "jwksFile: \"${env:JWKS}\""),
            Map.of("A", a.url(), "JWKS", jwks.toString()),
            clock);
    assertInvalidToken(get("/web/me", tokens.valid(clock)), "key id is unknown");
    assertThat(get("/web/me", tokens.es256(Tokens.claims(clock).build())).statusCode())
        .isEqualTo(200);
  }

  @Test
  void publicRouteNeedsNoToken() {
    startWithJwks();
    assertThat(get("/web/public", null).statusCode()).isEqualTo(200);
  }
}
