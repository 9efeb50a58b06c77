package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code state:} section: in memory by default, every key read, located errors, secrets kept
 * out of dumps.
 */
class StateConfigTest {
  private static final String BASE =
      """
      version: 1
      upstreams:
        u: { url: "http://127.0.0.1:9101" }
      experiences:
        web:
          routes:
            GET /p:
              steps:
                p: { upstream: u, path: /p }
      """;

  private static ConfigLoader.Result parse(String state) {
    return new ConfigLoader(Env.of(Map.of("REDIS_PASSWORD", "s3cret", "REDIS_USER", "medley")))
        .parse(BASE + state, "medley.yaml");
  }

  private static List<String> messages(ConfigLoader.Result r) {
    return r.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void absentSectionKeepsStateInThisProcess() {
    ConfigLoader.Result r = parse("");
    assertThat(r.errors()).isEmpty();
    assertThat(r.spec().state()).isEqualTo(StateSpec.DEFAULT);
    assertThat(r.spec().state().shared()).isFalse();
  }

  @Test
  void readsEveryKeyWithSecretsFromTheEnvironment() {
    ConfigLoader.Result r =
        parse(
            """
        state:
          redis:
            topology: sentinel
            endpoints: ["redis://10.0.0.1:26379", "redis://10.0.0.2:26379"]
            masterName: mymaster
            user: ${env:REDIS_USER}
            password: ${env:REDIS_PASSWORD}
            connectTimeout: 2s
            commandTimeout: 20ms
            poolSize: 16
            keyPrefix: "shop:"
            breaker: { failures: 3, openFor: 500ms }
          rateLimits: { onRedisFailure: closed, replicas: 4 }
          cache: { maxEntries: 5000, maxEntrySize: 64KiB, fillLease: 250ms }
        """);
    assertThat(messages(r)).isEmpty();
    StateSpec s = r.spec().state();
    assertThat(s.redis())
        .isEqualTo(
            new StateSpec.Redis(
                "sentinel",
                List.of("redis://10.0.0.1:26379", "redis://10.0.0.2:26379"),
                "mymaster",
                "medley",
                "s3cret",
                null,
                Duration.ofSeconds(2),
                Duration.ofMillis(20),
                16,
                "shop:",
                3,
                Duration.ofMillis(500)));
    assertThat(s.rateLimits()).isEqualTo(new StateSpec.RateLimits("closed", 4));
    assertThat(s.cache())
        .isEqualTo(new StateSpec.SharedCache(5000, 64 * 1024, Duration.ofMillis(250)));
    assertThat(s.toString()).doesNotContain("s3cret").contains("<redacted>");
  }

  @Test
  void defaultsAreTheSchemasDefaults() throws Exception {
    ConfigLoader.Result r =
        parse(
            """
        state:
          redis: { endpoints: ["redis://127.0.0.1:6379"] }
        """);
    assertThat(messages(r)).isEmpty();
    JsonNode defs =
        new ObjectMapper()
            .readTree(Files.readString(Path.of("docs/medley.schema.json")))
            .get("$defs");
    JsonNode redis = defs.at("/redis/properties");
    StateSpec s = r.spec().state();
    assertThat(s.redis().topology()).isEqualTo(redis.at("/topology/default").asText());
    assertThat(s.redis().connectTimeout())
        .isEqualTo(Units.duration(redis.at("/connectTimeout/default").asText()));
    assertThat(s.redis().commandTimeout())
        .isEqualTo(Units.duration(redis.at("/commandTimeout/default").asText()));
    assertThat(s.redis().poolSize()).isEqualTo(redis.at("/poolSize/default").asInt());
    assertThat(s.redis().keyPrefix()).isEqualTo(redis.at("/keyPrefix/default").asText());
    assertThat(s.redis().breakerFailures())
        .isEqualTo(redis.at("/breaker/properties/failures/default").asInt());
    assertThat(s.redis().breakerOpenFor())
        .isEqualTo(Units.duration(redis.at("/breaker/properties/openFor/default").asText()));
    JsonNode state = defs.at("/state/properties");
    assertThat(s.rateLimits().onRedisFailure())
        .isEqualTo(state.at("/rateLimits/properties/onRedisFailure/default").asText());
    assertThat(s.rateLimits().replicas())
        .isEqualTo(state.at("/rateLimits/properties/replicas/default").asInt());
    assertThat(s.cache().maxEntries())
        .isEqualTo(state.at("/cache/properties/maxEntries/default").asLong());
    assertThat(s.cache().maxEntrySize())
        .isEqualTo(Units.bytes(state.at("/cache/properties/maxEntrySize/default").asText()));
    assertThat(s.cache().fillLease())
        .isEqualTo(Units.duration(state.at("/cache/properties/fillLease/default").asText()));
  }

  @Test
  void reportsEveryMistakeInOnePassWithItsPlace() {
    ConfigLoader.Result r =
        parse(
            """
        state:
          redis:
            topology: sentinel
            endpoints: ["localhost:6379", "redis://user:pw@h:1"]
            keyPrefix: "a {b}"
            commandTimeout: 0ms
            caFile: /etc/ca.pem
            retries: 3
          rateLimits: { onRedisFailure: open }
        """);
    assertThat(messages(r))
        .anySatisfy(
            m -> assertThat(m).contains("'localhost:6379'").contains("expected redis://host:port"))
        .anySatisfy(m -> assertThat(m).contains("'redis://user:pw@h:1'"))
        .anySatisfy(m -> assertThat(m).contains("needs masterName"))
        .anySatisfy(m -> assertThat(m).contains("keyPrefix").contains("without spaces or braces"))
        .anySatisfy(
            m -> assertThat(m).contains("commandTimeout").contains("expected a positive duration"))
        .anySatisfy(m -> assertThat(m).contains("caFile without a rediss:// endpoint"))
        .anySatisfy(m -> assertThat(m).contains("unknown key 'retries'"))
        .anySatisfy(
            m -> assertThat(m).contains("onRedisFailure").contains("local").contains("closed"))
        .allSatisfy(m -> assertThat(m).contains("medley.yaml:"));
  }

  @Test
  void refusesSeveralStandaloneEndpointsAndSettingsWithoutRedis() {
    assertThat(
            messages(
                parse(
                    """
        state:
          redis: { endpoints: ["redis://a:1", "redis://b:1"] }
        """)))
        .singleElement()
        .asString()
        .contains("2 endpoints with topology: standalone");
    assertThat(
            messages(
                parse(
                    """
        state:
          rateLimits: { replicas: 3 }
        """)))
        .singleElement()
        .asString()
        .contains("only read with redis");
  }
}
