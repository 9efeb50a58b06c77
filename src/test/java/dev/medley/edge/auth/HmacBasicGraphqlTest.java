package dev.medley.edge.auth;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * On real sockets: HMAC-signed JWTs (a verifier that holds only a shared secret), HTTP Basic
 * against an htpasswd file of bcrypt hashes, and graphql steps whose fake upstream asserts the
 * exact JSON body it received.
 */
class HmacBasicGraphqlTest extends GatewayTest {
  /** 40 bytes: above the 256 bits HS256 needs. */
  private static final String SECRET = "a-shared-secret-of-forty-bytes-0123456789";

  @TempDir Path dir;

  /** Upstream calls made before the refusals a test checks. */
  private int baseline;

  private Harness startWith(String yaml) {
    Map<String, String> env = new HashMap<>();
    env.put("A", a.url());
    env.put("C", c.url());
    env.put("JWT_SECRET", SECRET);
    env.put("OLD_JWT_SECRET", "the-previous-secret-still-accepted-for-now");
    gw = Harness.start(vertx, yaml, env, clock, UnaryOperator.identity());
    return gw;
  }

  // ---- HMAC JWTs

  private static final String HMAC =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      auth:
        jwt:
          issuer: https://partner.test/
          audiences: api.test
          secret: ["${env:JWT_SECRET}", "${env:OLD_JWT_SECRET}"]
          algorithms: [HS256]
          requiredClaims: [sub]
          forwardClaims: { sub: x-partner }
      experiences:
        partners:
          basePath: /p
          routes:
            GET /me:
              steps:
                me: { upstream: a, path: "/users/{claims.sub}" }
              response: { sub: claims.sub, upstream: me }
      """;

  private JWTClaimsSet.Builder partnerClaims() {
    long now = clock.epochMillis();
    return new JWTClaimsSet.Builder()
        .issuer("https://partner.test/")
        .audience("api.test")
        .subject("acme")
        .expirationTime(new Date(now + 300_000));
  }

  private static String hs(JWSAlgorithm alg, String secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).build(), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String path, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
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

  private void assertUnauthorized(HttpResponse<String> r, String reason) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(r).get("status").asInt()).isEqualTo(401);
    assertThat(json(r).get("detail").asText()).contains(reason);
    assertThat(a.received()).as("no upstream call").hasSize(baseline);
  }

  @Test
  void hs256TokenSignedWithTheSharedSecretReachesTheRoute() {
    a.on("/users/", FakeUpstream.echo());
    startWith(HMAC);
    HttpResponse<String> r =
        get("/p/me", "Bearer " + hs(JWSAlgorithm.HS256, SECRET, partnerClaims().build()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("sub").asText()).isEqualTo("acme");
    assertThat(json(r).at("/upstream/uri").asText()).isEqualTo("/users/acme");
    assertThat(a.received().get(0).headers().get("x-partner")).isEqualTo("acme");
    // While rotating, a token signed with the previous secret still verifies.
    String old =
        hs(
            JWSAlgorithm.HS256,
            "the-previous-secret-still-accepted-for-now",
            partnerClaims().build());
    assertThat(get("/p/me", "Bearer " + old).statusCode()).isEqualTo(200);
  }

  @Test
  void hmacVerifierRefusesWrongSecretExpiredUnsignedAndAsymmetricTokens() throws Exception {
    startWith(HMAC);
    assertUnauthorized(
        get(
            "/p/me",
            "Bearer "
                + hs(
                    JWSAlgorithm.HS256,
                    "another-secret-of-at-least-32-bytes!!",
                    partnerClaims().build())),
        "signature does not verify");
    JWTClaimsSet expired =
        partnerClaims().expirationTime(new Date(clock.epochMillis() - 120_000)).build();
    assertUnauthorized(
        get("/p/me", "Bearer " + hs(JWSAlgorithm.HS256, SECRET, expired)), "expired");
    String none =
        Base64URL.encode("{\"alg\":\"none\"}")
            + "."
            + Base64URL.encode(partnerClaims().build().toString())
            + ".";
    assertUnauthorized(get("/p/me", "Bearer " + none), "alg none");
    // An RS256 token (a real RSA signature) presented to the HMAC verifier.
    Tokens tokens = new Tokens();
    assertUnauthorized(
        get("/p/me", "Bearer " + tokens.rs256(partnerClaims().build())),
        "algorithm RS256 is not accepted");
    // HS512 signed with the right secret: not in this verifier's list.
    String longSecret = SECRET + SECRET;
    assertUnauthorized(
        get("/p/me", "Bearer " + hs(JWSAlgorithm.HS512, longSecret, partnerClaims().build())),
        "algorithm HS512 is not accepted");
    HttpResponse<String> r = get("/p/me", null);
    assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"medley\"");
  }

  @Test
  void jwksVerifierRefusesHs256EvenSignedWithItsOwnPublicKey() throws Exception {
    Tokens tokens = new Tokens();
    c.on("/jwks", FakeUpstream.json(Tokens.jwks(tokens.rsa)));
    a.on("/users/", FakeUpstream.echo());
    startWith(
        HMAC.replace(
                "secret: [\"${env:JWT_SECRET}\", \"${env:OLD_JWT_SECRET}\"]",
                "jwks: \"${env:C}/jwks\"")
            .replace("[HS256]", "[RS256]"));
    String rs = tokens.rs256(partnerClaims().build());
    assertThat(get("/p/me", "Bearer " + rs).statusCode()).isEqualTo(200);
    baseline = a.received().size();
    SignedJWT confused =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(tokens.rsa.getKeyID()).build(),
            partnerClaims().build());
    confused.sign(new MACSigner(tokens.rsa.toRSAPublicKey().getEncoded()));
    assertUnauthorized(
        get("/p/me", "Bearer " + confused.serialize()), "algorithm HS256 is not accepted");
    assertUnauthorized(
        get("/p/me", "Bearer " + hs(JWSAlgorithm.HS256, SECRET, partnerClaims().build())),
        "algorithm HS256 is not accepted");
  }

  // ---- HTTP Basic

  private String htpasswd(String... lines) throws Exception {
    Path f = dir.resolve("users.htpasswd");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f.toString();
  }

  private static String bcrypt(String password, String prefix) {
    String h = BCrypt.hashpw(password, BCrypt.gensalt(4));
    return prefix + h.substring(4);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private String basicConfig(String file) {
    return """
        version: 1
        upstreams:
          a: { url: "${env:A}" }
        auth:
          basic: { htpasswdFile: "FILE", realm: partners }
        experiences:
          partners:
            basePath: /p
            routes:
              GET /orders:
                steps:
                  orders:
                    upstream: a
                    path: /orders
                    headers: { x-partner: "{claims.sub}" }
                response: { user: claims.sub, orders: orders }
              GET /open:
                auth: none
                steps: { open: { upstream: a, path: /open } }
        """
        .replace("FILE", file);
  }

  @Test
  void basicCredentialsAreCheckedAgainstBcryptHashes() throws Exception {
    a.on("/orders", FakeUpstream.json("{\"count\":2}"));
    a.on("/open", FakeUpstream.json("{\"open\":true}"));
    startWith(
        basicConfig(
            htpasswd(
                "# partners",
                "acme:" + bcrypt("s3cret-acme", "$2y$"),
                "globex:" + bcrypt("globex-pw", "$2b$"))));
    HttpResponse<String> ok = get("/p/orders", basic("acme", "s3cret-acme"));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(json(ok).get("user").asText()).isEqualTo("acme");
    assertThat(a.received().get(0).headers().get("x-partner")).isEqualTo("acme");
    // Remembered credentials still pass (without bcrypt), and another user's own pass works.
    assertThat(get("/p/orders", basic("acme", "s3cret-acme")).statusCode()).isEqualTo(200);
    assertThat(get("/p/orders", basic("globex", "globex-pw")).statusCode()).isEqualTo(200);
    baseline = a.received().size();

    for (String[] bad :
        new String[][] {
          {"acme", "wrong"}, {"nobody", "s3cret-acme"}, {"globex", "s3cret-acme"}, {"acme", ""}
        }) {
      HttpResponse<String> r = get("/p/orders", basic(bad[0], bad[1]));
      assertUnauthorized(r, "user name or password is not accepted");
      assertThat(r.headers().firstValue("www-authenticate"))
          .hasValue("Basic realm=\"partners\", charset=\"UTF-8\"");
      assertThat(json(r).get("type").asText()).isEqualTo("urn:medley:problem:invalid-credentials");
    }
    HttpResponse<String> missing = get("/p/orders", null);
    assertUnauthorized(missing, "user name and password are required");
    assertThat(missing.headers().firstValue("www-authenticate"))
        .hasValue("Basic realm=\"partners\", charset=\"UTF-8\"");
    // A bearer token is not a Basic credential.
    assertUnauthorized(get("/p/orders", "Bearer abc.def.ghi"), "required");
    // auth: none stays public and runs no authentication.
    assertThat(get("/p/open", null).statusCode()).isEqualTo(200);
  }

  // ---- GraphQL steps

  private static final String GRAPHQL =
      """
      version: 1
      upstreams:
        shop: { url: "${env:A}" }
        pricing: { url: "${env:C}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /products/{id}:
              steps:
                price:
                  upstream: pricing
                  graphql:
                    query: "query Price($id: ID!, $cur: String) { price(id: $id, currency: $cur) { amount currency } }"
                    variables: { id: "{params.id}", cur: EUR }
                  select: result.price
              response: { id: params.id, price: price }
            GET /flaky/{id}:
              steps:
                price:
                  upstream: pricing
                  path: /v2/graphql
                  graphql:
                    query: "query($id: ID!) { price(id: $id) { amount } }"
                    variables: { id: "{params.id}" }
                  optional: { price: null }
            GET /lenient/{id}:
              steps:
                price:
                  upstream: pricing
                  graphql:
                    query: "query($id: ID!) { price(id: $id) { amount } stock(id: $id) }"
                    variables: { id: "{params.id}" }
                    errors: ignore
            GET /cart:
              steps:
                cart: { upstream: shop, path: /cart }
                prices:
                  upstream: pricing
                  forEach: cart.ids
                  as: pid
                  graphql:
                    query: "query($id: ID!) { price(id: $id) { amount } }"
                    variables: { id: "{pid}" }
                    batchSize: 2
                  select: result.price.amount
              response: { ids: cart.ids, amounts: prices }
      """;

  private static JsonNode parse(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  @Test
  void graphqlStepPostsTheQueryAndItsVariablesAndTakesData() {
    c.on(
        "/graphql",
        FakeUpstream.json("{\"data\":{\"price\":{\"amount\":12.5,\"currency\":\"EUR\"}}}"));
    startWith(GRAPHQL);
    HttpResponse<String> r = gw.get("/web/products/42");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(parse(r.body()))
        .isEqualTo(parse("{\"id\":\"42\",\"price\":{\"amount\":12.5,\"currency\":\"EUR\"}}"));
    FakeUpstream.Received got = c.received().get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.uri()).isEqualTo("/graphql");
    assertThat(got.headers().get("content-type")).isEqualTo("application/json");
    assertThat(parse(got.body()))
        .isEqualTo(
            parse(
                "{\"query\":\"query Price($id: ID!, $cur: String) { price(id: $id, currency: $cur) { amount currency } }\","
                    + "\"variables\":{\"id\":\"42\",\"cur\":\"EUR\"}}"));
  }

  @Test
  void graphqlErrorsFailTheStepWithoutEchoingTheUpstreamsMessage() {
    String answer =
        "{\"errors\":[{\"message\":\"connection to db-7.internal refused\"}],\"data\":null}";
    c.on("/graphql", FakeUpstream.json(answer));
    c.on("/v2/graphql", FakeUpstream.json(answer));
    startWith(GRAPHQL);
    HttpResponse<String> r = gw.get("/web/products/42");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(r).get("detail").asText())
        .isEqualTo("step 'price' failed: upstream 'pricing' answered GraphQL errors");
    assertThat(r.body()).doesNotContain("db-7");
    // An optional step degrades to its fallback instead.
    HttpResponse<String> degraded = gw.get("/web/flaky/7");
    assertThat(degraded.statusCode()).as(degraded.body()).isEqualTo(200);
    assertThat(parse(degraded.body()))
        .isEqualTo(parse("{\"price\":{\"price\":null},\"_partial\":true}"));
    assertThat(c.received().get(1).uri()).isEqualTo("/v2/graphql");
    assertThat(parse(c.received().get(1).body()))
        .isEqualTo(
            parse(
                "{\"query\":\"query($id: ID!) { price(id: $id) { amount } }\",\"variables\":{\"id\":\"7\"}}"));
  }

  @Test
  void errorsIgnoreKeepsPartialData() {
    c.on(
        "/graphql",
        FakeUpstream.json(
            "{\"errors\":[{\"message\":\"stock unavailable\",\"path\":[\"stock\"]}],"
                + "\"data\":{\"price\":{\"amount\":3},\"stock\":null}}"));
    startWith(GRAPHQL);
    HttpResponse<String> r = gw.get("/web/lenient/5");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(parse(r.body()))
        .isEqualTo(parse("{\"price\":{\"price\":{\"amount\":3},\"stock\":null}}"));
  }

  @Test
  void forEachItemsAreBatchedByAliasesAndPairedInOrder() {
    a.on("/cart", FakeUpstream.json("{\"ids\":[\"p1\",\"p2\",\"p3\"]}"));
    c.on(
        "/graphql",
        (req, body) -> {
          // Answers each alias with the amount of the id in its own renamed variable, out of
          // order, so pairing by alias (not by position in the answer) is what is checked.
          JsonNode vars = parse(body.toString()).get("variables");
          StringBuilder data = new StringBuilder();
          for (int i = vars.size() - 1; i >= 0; i--) {
            String id = vars.get("id_" + i).asText();
            data.append(data.isEmpty() ? "" : ",")
                .append("\"item")
                .append(i)
                .append("\":{\"amount\":")
                .append(id.substring(1))
                .append("0}");
          }
          req.response()
              .putHeader("content-type", "application/json")
              .end("{\"data\":{" + data + "}}");
        });
    startWith(GRAPHQL);
    HttpResponse<String> r = gw.get("/web/cart");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(parse(r.body()))
        .isEqualTo(parse("{\"ids\":[\"p1\",\"p2\",\"p3\"],\"amounts\":[10,20,30]}"));
    assertThat(c.received()).hasSize(2);
    assertThat(c.received().stream().map(x -> parse(x.body())).toList())
        .containsExactlyInAnyOrder(
            parse(
                "{\"query\":\"query ($id_0:ID!,$id_1:ID!){item0:price(id:$id_0){amount}item1:price(id:$id_1){amount}}\","
                    + "\"variables\":{\"id_0\":\"p1\",\"id_1\":\"p2\"}}"),
            parse(
                "{\"query\":\"query ($id_0:ID!){item0:price(id:$id_0){amount}}\","
                    + "\"variables\":{\"id_0\":\"p3\"}}"));
  }
}
