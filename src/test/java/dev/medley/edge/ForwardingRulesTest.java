package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.plan.NameFilter;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RoutePlan;
import dev.medley.testing.Locate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Forwarding and copying rules without sockets: the located config errors for misuse, which names a
 * compiled rule lets through, the composition of {@code Cache-Control}, and that a route without
 * rules compiles to none (so it pays nothing per request).
 */
@Tag("fast")
class ForwardingRulesTest {
  private static final String HEAD =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          routes:
      """;

  @Test
  void allowListingAHopByHopOrGatewayHeaderIsALocatedError() {
    String yaml =
        HEAD
            + """
                GET /p:
                  forward:
                    headers: { allow: [Accept-Language, Host, Transfer-Encoding, X-Medley-User] }
                  steps:
                    p: { upstream: a, path: "/p" }
          """;
    assertThat(errors(yaml))
        .extracting(ConfigError::format)
        .containsExactly(
            located(yaml, "Host", "[1]", "Host"),
            located(yaml, "Transfer-Encoding", "[2]", "Transfer-Encoding"),
            located(yaml, "X-Medley-User", "[3]", "X-Medley-User"));
  }

  private static String located(String yaml, String needle, String index, String name) {
    return "f.yaml:"
        + Locate.of(yaml, needle)
        + ": experiences.web.routes[\"GET /p\"].forward.headers.allow"
        + index
        + ": '"
        + name
        + "' is never forwarded (hop-by-hop, framing or set by the gateway itself; the upstream"
        + " connection has its own)";
  }

  @Test
  void bothAllowAndExceptIsALocatedError() {
    String yaml =
        HEAD
            + """
                GET /p:
                  forward:
                    query: { allow: [q], except: [token] }
                  steps:
                    p: { upstream: a, path: "/p" }
          """;
    assertThat(errors(yaml))
        .extracting(ConfigError::format)
        .containsExactly(
            "f.yaml:"
                + Locate.of(yaml, "{ allow: [q]")
                + ": experiences.web.routes[\"GET /p\"].forward.query: has both allow and except"
                + " (expected one of them: a list to pass, or all but a list)");
  }

  @Test
  void copyingCacheControlOrAFramingHeaderIsALocatedError() {
    String yaml =
        HEAD
            + """
                GET /p:
                  responseHeaders: { allow: [Link, Cache-Control, Content-Length, "*"] }
                  steps:
                    p: { upstream: a, path: "/p" }
          """;
    assertThat(errors(yaml))
        .extracting(ConfigError::message)
        .containsExactly(
            "'Cache-Control' is composed, not copied (expected responseHeaders.cacheControl:"
                + " composed on the route)",
            "'Content-Length' never reaches the client from an upstream (hop-by-hop, framing or"
                + " written by the gateway for the composed answer)",
            "'*' (expected a header name, or a prefix ending in *, e.g. X-RateLimit-*)");
  }

  @Test
  void forwardingIntoACacheWhoseKeyCannotSeeItIsAnError() {
    String yaml =
        HEAD
            + """
                GET /p:
                  cache: { ttl: 60s }
                  forward:
                    headers: { allow: [Accept-Language] }
                  steps:
                    p: { upstream: a, path: "/p" }
                GET /s:
                  steps:
                    s:
                      upstream: a
                      path: "/s"
                      cache: { ttl: 60s }
                      forward: { query: { except: [token] } }
                GET /c:
                  cache: { ttl: 60s }
                  responseHeaders: { allow: [Set-Cookie] }
                  steps:
                    p: { upstream: a, path: "/p" }
                POST /m:
                  responseHeaders: { cacheControl: composed }
                  steps:
                    p: { upstream: a, path: "/p", method: POST }
          """;
    List<ConfigError> errors = errors(yaml);
    assertThat(errors)
        .extracting(ConfigError::path)
        .containsExactly(
            "experiences.web.routes[\"GET /p\"].steps.p.forward",
            "experiences.web.routes[\"GET /s\"].steps.s.cache",
            "experiences.web.routes[\"GET /c\"].responseHeaders",
            "experiences.web.routes[\"POST /m\"].responseHeaders.cacheControl");
    assertThat(errors.get(2).message()).startsWith("Set-Cookie copied on a route with cache:");
    assertThat(errors.get(3).message()).contains("expected a GET route");
  }

  @Test
  void aRouteWithoutRulesCompilesToNoPassingAtAll() {
    String yaml =
        HEAD
            + """
                GET /p:
                  steps:
                    p: { upstream: a, path: "/p" }
                GET /q:
                  forward: { headers: { allow: [] } }
                  steps:
                    p: { upstream: a, path: "/p" }
          """;
    var loaded = new ConfigLoader(Env.of(Map.of("A", "http://127.0.0.1:1"))).parse(yaml, "f.yaml");
    List<RoutePlan> routes = PlanCompiler.compile(loaded.spec(), "x").plan().routes();
    assertThat(routes).extracting(RoutePlan::passing).containsOnlyNulls();
  }

  @Test
  void aStepsListsReplaceItsRoutesPerKind() {
    String yaml =
        """
        version: 1
        upstreams:
          a: { url: "${env:A}" }
        experiences:
          web:
            forward: { headers: { allow: [Accept-Language] }, query: { allow: [q] } }
            routes:
              GET /p:
                responseHeaders: { allow: [Link] }
                steps:
                  one: { upstream: a, path: "/one" }
                  two:
                    upstream: a
                    path: "/two"
                    forward: { headers: { allow: [X-Team] } }
                    responseHeaders: { allow: [X-RateLimit-*] }
        """;
    var loaded = new ConfigLoader(Env.of(Map.of("A", "http://127.0.0.1:1"))).parse(yaml, "f.yaml");
    var passing = PlanCompiler.compile(loaded.spec(), "x").plan().routes().get(0).passing();
    assertThat(passing.forwardHeaders()[0].passes("accept-language")).isTrue();
    assertThat(passing.forwardHeaders()[1].passes("accept-language")).isFalse();
    assertThat(passing.forwardHeaders()[1].passes("x-team")).isTrue();
    assertThat(passing.forwardQuery()[1].passes("q")).as("query still inherited").isTrue();
    assertThat(passing.copy()[0].passes("link")).isTrue();
    assertThat(passing.copy()[1].passes("link")).isFalse();
    assertThat(passing.copy()[1].passes("x-ratelimit-reset")).isTrue();
  }

  @Test
  void credentialAndSpoofableHeadersPassOnlyWhenNamedExactly() {
    NameFilter except = NameFilter.of(NameFilter.Kind.FORWARD_HEADER, List.of("x-debug"), true);
    for (String never :
        List.of(
            "authorization",
            "cookie",
            "proxy-authorization",
            "x-forwarded-for",
            "forwarded",
            "if-none-match",
            "connection",
            "host",
            "proxy-connection",
            "x-medley-user",
            "x-debug")) {
      assertThat(except.passes(never)).as(never).isFalse();
    }
    assertThat(except.passes("x-team")).isTrue();
    NameFilter prefix =
        NameFilter.of(NameFilter.Kind.FORWARD_HEADER, List.of("X-*", "Cookie"), false);
    assertThat(prefix.passes("x-team")).isTrue();
    assertThat(prefix.passes("x-forwarded-for")).as("never through a prefix").isFalse();
    assertThat(prefix.passes("cookie")).as("named exactly").isTrue();
    NameFilter copy =
        NameFilter.of(NameFilter.Kind.RESPONSE_HEADER, List.of("Set-*", "X-RateLimit-*"), false);
    assertThat(copy.passes("set-cookie")).as("Set-Cookie only when named").isFalse();
    assertThat(copy.passes("x-ratelimit-limit")).isTrue();
    assertThat(copy.passes("transfer-encoding")).isFalse();
  }

  @Test
  void composedCacheControlTakesTheStrictestOfEveryPart() {
    assertThat(compose("public, max-age=300", "public, max-age=60", "public, max-age=120"))
        .isEqualTo("public, max-age=60");
    assertThat(compose("public, max-age=300", "max-age=60")).isEqualTo("max-age=60");
    assertThat(compose("public, max-age=300", "private, max-age=600"))
        .isEqualTo("private, max-age=300");
    assertThat(compose("public, max-age=300", "no-cache")).isEqualTo("no-cache, max-age=0");
    assertThat(compose("public, max-age=300", "public, max-age=60", "no-store"))
        .isEqualTo("no-store");
    assertThat(compose("public, max-age=300", (String) null))
        .as("a silent upstream takes the route's value")
        .isEqualTo("public, max-age=300");
    assertThat(compose(null, "public, max-age=60", null))
        .as("a silent upstream without a route value counts as no-cache")
        .isEqualTo("no-cache, max-age=0");
    assertThat(compose(null, "public, max-age=abc")).isEqualTo("public, max-age=0");
    assertThat(CacheControls.compose(null, List.of())).isNull();
  }

  private static String compose(String route, String... answers) {
    return CacheControls.compose(route, Arrays.asList(answers));
  }

  private static List<ConfigError> errors(String yaml) {
    ConfigLoader.Result loaded =
        new ConfigLoader(Env.of(Map.of("A", "http://127.0.0.1:1"))).parse(yaml, "f.yaml");
    if (!loaded.ok()) {
      return loaded.errors();
    }
    return PlanCompiler.compile(loaded.spec(), "x").errors();
  }
}
