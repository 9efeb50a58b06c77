package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security sections load into records, and unsafe settings are load errors that say why. */
@Tag("fast")
class SecurityConfigTest {
  @TempDir Path dir;

  private static final String UPSTREAMS =
      """
      version: 1
      upstreams:
        a: { url: "http://127.0.0.1:9101" }
      """;
  private static final String JWT =
      """
      auth:
        jwt:
          issuer: https://issuer.test/
          audiences: api.test
          jwks: https://issuer.test/jwks.json
          algorithms: [RS256]
      """;
  private static final String ROUTE =
      """
      experiences:
        web:
          routes:
            GET /p:
              steps: { p: { upstream: a, path: /p } }
      """;

  private static ConfigLoader.Result parse(String yaml) {
    return new ConfigLoader(Env.of(Map.of())).parse(yaml, "m.yaml");
  }

  private static List<String> errors(String yaml) {
    return parse(yaml).errors().stream().map(ConfigError::format).toList();
  }

  @Test
  void readsTheSecuritySectionsWithTheirDefaults() {
    MedleySpec spec =
        parse(
                UPSTREAMS
                    + JWT
                    + """
        experiences:
          web:
            basePath: /web
            scopes: [shop]
            rateLimits: [ { key: claim.sub, rate: 600/min } ]
            cors: { origins: [https://shop.example.com] }
            routes:
              POST /orders:
                scopes: [orders:write]
                maxBodySize: 16KiB
                rateLimits: [ { key: header.X-Api-Key, rate: 5/s, burst: 20, name: keys } ]
                steps: { p: { upstream: a, method: POST, path: /orders } }
        """)
            .spec();
    JwtSpec jwt = spec.auth().jwt();
    assertThat(jwt.audiences()).containsExactly("api.test");
    assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(jwt.requireExpiry()).isTrue();
    assertThat(jwt.scopeClaim()).isEqualTo("scope");
    assertThat(jwt.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
    ExperienceSpec web = spec.experiences().get("web");
    assertThat(web.access().scopes()).containsExactly("shop");
    RateLimitSpec perUser = web.access().rateLimits().get(0);
    assertThat(perUser.perSecond()).isEqualTo(10.0);
    assertThat(perUser.burst()).as("one second of rate").isEqualTo(10);
    assertThat(perUser.name()).isEqualTo("claim.sub");
    assertThat(web.access().cors().methods()).containsExactly("GET", "HEAD", "POST");
    assertThat(web.access().cors().maxAge()).isEqualTo(Duration.ofMinutes(10));
    RouteSpec orders = web.routes().get(0);
    assertThat(orders.access().maxBodySize()).isEqualTo(16 * 1024L);
    assertThat(orders.access().rateLimits().get(0).key()).isEqualTo("header.x-api-key");
    assertThat(spec.server().limits()).isEqualTo(LimitsSpec.DEFAULT);
  }

  @Test
  void algNoneAndHmacAreRefused() {
    assertThat(errors(UPSTREAMS + JWT.replace("[RS256]", "[none, HS256, RS257]") + ROUTE))
        .containsExactly(
            "m.yaml:9:17: auth.jwt.algorithms: 'none' is never accepted: an unsigned token proves nothing (expected one of: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)",
            "m.yaml:9:17: auth.jwt.algorithms: 'HS256' is not accepted with public keys: HMAC needs a shared secret (secret: ${env:NAME} instead of jwks/jwksFile/publicKeyFile), and a public key used as one lets anyone forge tokens (expected one of: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)",
            "m.yaml:9:17: auth.jwt.algorithms: 'RS257' (expected one of: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)");
  }

  @Test
  void algorithmsMustBeListed() {
    assertThat(errors(UPSTREAMS + JWT.replace("    algorithms: [RS256]\n", "") + ROUTE))
        .containsExactly("m.yaml:6:5: auth.jwt: missing required key 'algorithms'");
  }

  @Test
  void exactlyOneKeySource() {
    assertThat(
            errors(
                UPSTREAMS + JWT.replace("    jwks: https://issuer.test/jwks.json\n", "") + ROUTE))
        .containsExactly(
            "m.yaml:6:5: auth.jwt: no verification keys (expected exactly one of: jwks, jwksFile, publicKeyFile, secret; a verifier holds either public keys or an HMAC secret, never both)");
  }

  @Test
  void jwksOverPlainHttpOnlyOnLoopback() {
    assertThat(
            errors(
                UPSTREAMS
                    + JWT.replace("https://issuer.test/jwks.json", "http://issuer.test/jwks.json")
                    + ROUTE))
        .containsExactly(
            "m.yaml:8:11: auth.jwt.jwks: 'http://issuer.test/jwks.json' (expected an https:// URL; plain http is accepted only for 127.0.0.1, [::1] or localhost)");
    assertThat(
            errors(
                UPSTREAMS
                    + JWT.replace(
                        "https://issuer.test/jwks.json", "http://127.0.0.1:8000/jwks.json")
                    + ROUTE))
        .isEmpty();
  }

  @Test
  void keyFileMustBeReadableAtLoad() {
    assertThat(
            errors(
                UPSTREAMS
                    + JWT.replace(
                        "jwks: https://issuer.test/jwks.json",
                        "publicKeyFile: /nonexistent/key.pem")
                    + ROUTE))
        .singleElement()
        .asString()
        .contains("auth.jwt.publicKeyFile: cannot read file '/nonexistent/key.pem'");
  }

  @Test
  void forwardedClaimsCannotTargetHeadersTheGatewayOwns() throws Exception {
    Path key =
        Files.writeString(
            dir.resolve("k.pem"), "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n");
    List<String> errs =
        errors(
            UPSTREAMS
                + JWT.replace("jwks: https://issuer.test/jwks.json", "publicKeyFile: " + key)
                + "    forwardClaims: { sub: Authorization, tenant: x-medley-tenant, email: x-user-email }\n"
                + ROUTE);
    assertThat(errs).hasSize(2);
    assertThat(errs.get(0)).contains("'Authorization' is set by the gateway itself");
    assertThat(errs.get(1)).contains("'x-medley-tenant' uses the x-medley- prefix");
  }

  @Test
  void authJwtNeedsAProvider() {
    assertThat(errors(UPSTREAMS + ROUTE.replace("  web:\n", "  web:\n    auth: jwt\n")))
        .containsExactly(
            "m.yaml:6:11: experiences.web.auth: jwt needs a JWT provider (expected auth.jwt at the top level of the config)");
  }

  @Test
  void scopesAndClaimKeysNeedAnAuthenticatedRoute() {
    assertThat(
            errors(
                UPSTREAMS
                    + JWT
                    + ROUTE.replace(
                        "      GET /p:\n",
                        "      GET /p:\n        auth: none\n        scopes: [a]\n"
                            + "        rateLimits: [ { key: claim.sub, rate: 1/s } ]\n")))
        .containsExactly(
            "m.yaml:15:17: experiences.web.routes[\"GET /p\"].scopes: scopes on a public route (expected auth: jwt here or on the experience)",
            "m.yaml:16:30: experiences.web.routes[\"GET /p\"].rateLimits[0].key: 'claim.sub' on a public route (expected auth: jwt, so the claim is verified)");
  }

  @Test
  void corsWildcardWithCredentialsIsRefused() {
    assertThat(
            errors(
                UPSTREAMS
                    + ROUTE.replace(
                        "  web:\n", "  web:\n    cors: { origins: [\"*\"], credentials: true }\n")))
        .singleElement()
        .asString()
        .contains("'*' with credentials: true");
  }

  @Test
  void oauth2AndAStaticAuthorizationHeaderConflict() {
    String yaml =
        """
        version: 1
        upstreams:
          a:
            url: http://127.0.0.1:9101
            headers: { Authorization: "Bearer x" }
            oauth2: { tokenUrl: "https://idp.test/token", clientId: c, clientSecret: s }
        """
            + ROUTE;
    assertThat(errors(yaml))
        .singleElement()
        .asString()
        .contains("oauth2 and an Authorization header both set the credentials");
  }

  @Test
  void oauth2TokenUrlMustBeHttps() {
    String yaml =
        """
        version: 1
        upstreams:
          a:
            url: http://127.0.0.1:9101
            oauth2: { tokenUrl: "http://idp.test/token", clientId: c, clientSecret: s }
        """
            + ROUTE;
    assertThat(errors(yaml))
        .singleElement()
        .asString()
        .contains("plain http is accepted only for 127.0.0.1");
  }

  @Test
  void tlsOnAPlainHttpUpstreamIsRefused() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    String yaml =
        UPSTREAMS.replace(
                "{ url: \"http://127.0.0.1:9101\" }",
                "{ url: \"http://127.0.0.1:9101\", tls: { ca: \"" + ca + "\" } }")
            + ROUTE;
    assertThat(errors(yaml)).singleElement().asString().contains("tls on a plain http upstream");
  }

  @Test
  void limitsAreBounded() {
    assertThat(
            errors(
                UPSTREAMS.replace(
                        "version: 1\n",
                        "version: 1\nserver:\n  limits: { maxHeaderSize: 100B, maxJsonDepth: 0 }\n")
                    + ROUTE))
        .containsExactly(
            "m.yaml:3:28: server.limits.maxHeaderSize: 100 bytes (expected from 1KiB to 1MiB)",
            "m.yaml:3:48: server.limits.maxJsonDepth: 0 (expected a whole number from 1 to 1000)");
  }

  // ---- HMAC secrets and HTTP Basic (issue 12, group 11)

  private static final String HMAC =
      """
      auth:
        jwt:
          issuer: https://issuer.test/
          audiences: api.test
          secret: "${env:JWT_SECRET}"
          algorithms: [HS256]
      """;

  private static List<String> errors(String yaml, Map<String, String> env) {
    return new ConfigLoader(Env.of(env))
        .parse(yaml, "m.yaml").errors().stream().map(ConfigError::format).toList();
  }

  @Test
  void hmacSecretComesFromTheEnvironmentAndNeverPrints() {
    String secret = "x".repeat(32);
    ConfigLoader.Result r =
        new ConfigLoader(Env.of(Map.of("JWT_SECRET", secret)))
            .parse(UPSTREAMS + HMAC + ROUTE, "m.yaml");
    assertThat(r.errors()).isEmpty();
    JwtSpec jwt = r.spec().auth().jwt();
    assertThat(jwt.secrets()).hasSize(1);
    assertThat(jwt.secrets().get(0).bits()).isEqualTo(256);
    assertThat(jwt.toString()).doesNotContain(secret).contains("${env:JWT_SECRET} (256 bits)");
  }

  @Test
  void hmacMisuseIsALocatedLoadError() {
    Map<String, String> shortSecret = Map.of("JWT_SECRET", "sixteen-bytes!!!");
    assertThat(errors(UPSTREAMS + HMAC + ROUTE, shortSecret))
        .containsExactly(
            "m.yaml:8:13: auth.jwt.secret: the secret in JWT_SECRET is 128 bits (expected at least 256 bits for HS256; generate one with: openssl rand -base64 40)");
    Map<String, String> forty = Map.of("JWT_SECRET", "y".repeat(40));
    assertThat(errors(UPSTREAMS + HMAC.replace("[HS256]", "[HS256, HS512]") + ROUTE, forty))
        .containsExactly(
            "m.yaml:8:13: auth.jwt.secret: the secret in JWT_SECRET is 320 bits (expected at least 512 bits for HS512; generate one with: openssl rand -base64 72)");
    assertThat(
            errors(
                UPSTREAMS
                    + HMAC.replace(
                        "\"${env:JWT_SECRET}\"", "literally-a-secret-in-the-file-0123456789")
                    + ROUTE,
                forty))
        .containsExactly(
            "m.yaml:8:13: auth.jwt.secret: a literal secret (expected ${env:NAME} without a default: a secret written in the config ends up in version control and logs)");
    assertThat(
            errors(
                UPSTREAMS
                    + HMAC.replace(
                        "${env:JWT_SECRET}",
                        "${env:JWT_SECRET:-fallback-in-the-file-0123456789abcdef}")
                    + ROUTE,
                forty))
        .hasSize(1)
        .allMatch(e -> e.contains("a literal secret"));
    // Never asymmetric and HMAC in one verifier: RS with a secret, HS with keys, both key kinds.
    assertThat(errors(UPSTREAMS + HMAC.replace("[HS256]", "[HS256, RS256]") + ROUTE, forty))
        .containsExactly(
            "m.yaml:9:17: auth.jwt.algorithms: 'RS256' with a secret (expected only HS256, HS384, HS512: a verifier with a shared secret never accepts other algorithms, so no token can pick how it is checked)");
    assertThat(
            errors(
                UPSTREAMS
                    + HMAC.replace(
                        "    algorithms:",
                        "    jwks: https://issuer.test/jwks.json\n    algorithms:")
                    + ROUTE,
                forty))
        .containsExactly(
            "m.yaml:6:5: auth.jwt: more than one key source (expected exactly one of: jwks, jwksFile, publicKeyFile, secret; a verifier holds either public keys or an HMAC secret, never both)");
  }

  private static final String BASIC_ROUTE =
      """
      experiences:
        web:
          routes:
            GET /p:
              auth: basic
              steps: { p: { upstream: a, path: /p } }
      """;

  @Test
  void htpasswdAcceptsOnlyBcryptAndNamesTheLine() throws Exception {
    Path file = dir.resolve("users.htpasswd");
    Files.writeString(
        file,
        "# partners\n"
            + "acme:$2y$10$abcdefghijklmnopqrstuuOpQ8y7mHq5w4p3n2b1v0c9x8z7l6k5j\n"
            + "\n"
            + "bob:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n"
            + "carol:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n"
            + "dave:plain\n");
    String yaml = UPSTREAMS + "auth:\n  basic: { htpasswdFile: \"" + file + "\" }\n" + BASIC_ROUTE;
    assertThat(errors(yaml))
        .containsExactly(
            file
                + ":4:1: auth.basic.htpasswdFile: line 4, user 'bob': an Apache MD5 ($apr1$) hash is not accepted (expected a bcrypt hash starting $2a$, $2b$ or $2y$; create it with htpasswd -B)",
            file
                + ":5:1: auth.basic.htpasswdFile: line 5, user 'carol': a SHA-1 ({SHA}) hash is not accepted (expected a bcrypt hash starting $2a$, $2b$ or $2y$; create it with htpasswd -B)",
            file
                + ":6:1: auth.basic.htpasswdFile: line 6, user 'dave': a crypt or plain-text password is not accepted (expected a bcrypt hash starting $2a$, $2b$ or $2y$; create it with htpasswd -B)");
    Files.writeString(file, "acme:$2y$10$abcdefghijklmnopqrstuuOpQ8y7mHq5w4p3n2b1v0c9x8z7l6k5j\n");
    MedleySpec spec = parse(yaml).spec();
    assertThat(spec.auth().basic().users().hash("acme")).startsWith("$2y$10$");
    assertThat(spec.auth().basic().realm()).isEqualTo("medley");
    assertThat(spec.toString()).doesNotContain("$2y$");
  }

  @Test
  void basicMisuseIsALocatedLoadError() throws Exception {
    assertThat(errors(UPSTREAMS + BASIC_ROUTE))
        .containsExactly(
            "m.yaml:8:15: experiences.web.routes[\"GET /p\"].auth: basic needs an htpasswd file (expected auth.basic.htpasswdFile at the top level of the config)");
    Path file = dir.resolve("users.htpasswd");
    Files.writeString(file, "acme:$2b$10$abcdefghijklmnopqrstuuOpQ8y7mHq5w4p3n2b1v0c9x8z7l6k5j\n");
    String yaml =
        UPSTREAMS
            + "auth:\n  basic: { htpasswdFile: \""
            + file
            + "\" }\n"
            + BASIC_ROUTE.replace(
                "auth: basic\n",
                "auth: basic\n        scopes: [x]\n        forwardAuthorization: true\n");
    assertThat(errors(yaml))
        .containsExactly(
            "m.yaml:11:17: experiences.web.routes[\"GET /p\"].scopes: scopes on a route with auth: basic (Basic credentials grant no scopes; expected auth: jwt)",
            "m.yaml:12:31: experiences.web.routes[\"GET /p\"].forwardAuthorization: true on a route with auth: basic (a password never travels upstream; send the user with a header template such as x-user: \"{claims.sub}\")");
  }
}
