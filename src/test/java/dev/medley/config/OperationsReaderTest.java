package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operational keys: shutdown grace, config watching, upstream health checks, deprecation and
 * canary.
 */
@Tag("fast")
class OperationsReaderTest {
  private static ConfigLoader.Result parse(String server, String upstream, String route) {
    String yaml =
        """
        version: 1
        server:
          port: 8080
        %s
        upstreams:
          a:
            url: http://127.0.0.1:9101
        %s
        experiences:
          web:
            routes:
              GET /v1/p/{id}:
        %s
                steps:
                  s: { upstream: a, path: /p }
        """
            .formatted(
                server.indent(2).stripTrailing(),
                upstream.indent(4).stripTrailing(),
                route.indent(8).stripTrailing());
    return new ConfigLoader(Env.of(Map.of())).parse(yaml, "ops.yaml");
  }

  private static ConfigError onlyError(ConfigLoader.Result r) {
    assertThat(r.errors()).hasSize(1);
    return r.errors().getFirst();
  }

  @Test
  void defaultsAreTenSecondsOfGraceAndAPollEveryTwoSeconds() {
    ConfigLoader.Result r = parse("", "", "");
    assertThat(r.errors()).isEmpty();
    assertThat(r.spec().server().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.spec().server().watchInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.spec().upstreams().get("a").health()).isNull();
    assertThat(r.spec().experiences().get("web").routes().getFirst().deprecated()).isNull();
    assertThat(r.spec().experiences().get("web").routes().getFirst().canary()).isNull();
  }

  @Test
  void readsEveryOperationalKey() {
    ConfigLoader.Result r =
        parse(
            "shutdownGrace: 30s\nwatchInterval: 0s",
            "health: { path: /healthz, interval: 15s }",
            "deprecated: { since: 2026-01-01T00:00:00Z, sunset: 2026-06-30T00:00:00+02:00, successor: \"/v2/p/{id}\" }\n"
                + "canary: { to: \"GET  /v2/p/{id}\", weight: 0.25%, sticky: header:X-User }");
    assertThat(r.errors()).isEmpty();
    ServerSpec s = r.spec().server();
    assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.watchInterval()).isZero();
    assertThat(s.locations())
        .containsKeys("server", "server.port")
        .doesNotContainKey("server.host");
    HealthSpec h = r.spec().upstreams().get("a").health();
    assertThat(h.path()).isEqualTo("/healthz");
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(15));
    RouteSpec route = r.spec().experiences().get("web").routes().getFirst();
    assertThat(route.deprecated().sunset().toString()).isEqualTo("2026-06-29T22:00:00Z");
    assertThat(route.deprecated().successor().value()).isEqualTo("/v2/p/{id}");
    assertThat(route.canary())
        .satisfies(
            c -> {
              assertThat(c.to()).isEqualTo("GET /v2/p/{id}");
              assertThat(c.weightBasisPoints()).isEqualTo(25);
              assertThat(c.sticky()).isEqualTo("header:x-user");
            });
  }

  @Test
  void weightMustBeAPercentageUpToAHundred() {
    for (String bad : new String[] {"5", "0.05", "101%", "5.125%", "-1%", "five%"}) {
      ConfigError e =
          onlyError(parse("", "", "canary: { to: \"GET /v2/p/{id}\", weight: \"" + bad + "\" }"));
      assertThat(e.path()).as(bad).endsWith(".canary.weight");
      assertThat(e.message())
          .as(bad)
          .isEqualTo(
              "'"
                  + bad
                  + "' (expected a percentage from 0% to 100% with at most two decimals, e.g. 5%)");
    }
    assertThat(
            parse("", "", "canary: { to: \"GET /v2/p/{id}\", weight: 100% }")
                .spec()
                .experiences()
                .get("web")
                .routes()
                .getFirst()
                .canary()
                .weightBasisPoints())
        .isEqualTo(10_000);
  }

  @Test
  void stickyMustNameAClaimAHeaderOrTheAddress() {
    ConfigError e =
        onlyError(parse("", "", "canary: { to: \"GET /v2/p/{id}\", weight: 5%, sticky: cookie }"));
    assertThat(e.message()).isEqualTo("'cookie' (expected claim.<name>, header:<name> or ip)");
    assertThat(
            parse("", "", "canary: { to: \"GET /v2/p/{id}\", weight: 5%, sticky: claim.sub }")
                .errors())
        .isEmpty();
    assertThat(parse("", "", "canary: { to: \"GET /v2/p/{id}\", weight: 5%, sticky: ip }").errors())
        .isEmpty();
  }

  @Test
  void canaryNeedsARouteKeyAndAWeight() {
    assertThat(onlyError(parse("", "", "canary: { to: \"/v2/p/{id}\", weight: 5% }")).message())
        .isEqualTo(
            "'/v2/p/{id}' (expected a route key of the same experience, e.g. GET /v3/products/{id})");
    assertThat(onlyError(parse("", "", "canary: { to: \"GET /v2/p/{id}\" }")).message())
        .isEqualTo("missing required key 'weight'");
  }

  @Test
  void healthCheckNeedsAPathAndASensibleInterval() {
    assertThat(onlyError(parse("", "health: { interval: 5s }", "")).message())
        .isEqualTo("missing required key 'path'");
    assertThat(onlyError(parse("", "health: { path: health }", "")).message())
        .isEqualTo("'health' (expected a path starting with /, e.g. /health)");
    assertThat(onlyError(parse("", "health: { path: /h, interval: 10ms }", "")).message())
        .isEqualTo("'10ms' is too short (expected at least 100ms)");
  }

  @Test
  void watchIntervalIsOffOrAtLeastATenthOfASecond() {
    ConfigError e = onlyError(parse("watchInterval: 50ms", "", ""));
    assertThat(e.format())
        .isEqualTo(
            "ops.yaml:4:18: server.watchInterval: '50ms' is too short (expected 0s to turn watching off, or at least 100ms)");
  }

  @Test
  void successorMustBeAPathOrAUrl() {
    ConfigError e =
        onlyError(parse("", "", "deprecated: { since: 2026-01-01T00:00:00Z, successor: v2/p }"));
    assertThat(e.message()).isEqualTo("'v2/p' (expected a path starting with / or an http(s) URL)");
    assertThat(
            parse(
                    "",
                    "",
                    "deprecated: { since: 2026-01-01T00:00:00Z, successor: \"https://api.example.com/v2/p/{id}\" }")
                .errors())
        .isEmpty();
  }
}
