package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.MedleySpec;
import dev.medley.plan.PlanCompiler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Caching settings are checked at load, every problem reported with its place. */
@Tag("fast")
class CacheConfigTest {
  private static final String HEAD =
      """
      version: 1
      upstreams:
        a: { url: "http://127.0.0.1:9101" }
      experiences:
        web:
          routes:
      """;

  private static List<String> errors(String text) {
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(text, "c.yaml");
    if (!r.ok()) {
      return r.errors().stream().map(ConfigError::format).toList();
    }
    return PlanCompiler.compile(r.spec(), "v").errors().stream().map(ConfigError::format).toList();
  }

  private static MedleySpec spec(String text) {
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(text, "c.yaml");
    assertThat(r.errors()).isEmpty();
    return r.spec();
  }

  @Test
  void readsEverySettingWithItsDefaults() {
    MedleySpec s =
        spec(
            HEAD
                + """
              GET /p/{id}:
                cache: { ttl: 30s }
                steps:
                  x: { upstream: a, path: "/x/{id}", cache: { ttl: 5s, tags: ["x:{result.id}"], upstreamCacheControl: honour } }
        """);
    var route = s.experiences().get("web").routes().getFirst();
    assertThat(route.cache().ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(route.cache().staleWhileRevalidate()).isZero();
    assertThat(route.cache().staleIfError()).isZero();
    assertThat(route.cache().shared()).isFalse();
    assertThat(route.cacheControl()).isNull();
    assertThat(route.steps().get("x").cache().upstreamCacheControl()).isEqualTo("honour");
    assertThat(s.cache().maxBytes()).isEqualTo(64L << 20);
    assertThat(s.server().compression().encodings()).containsExactly("br", "gzip");
    assertThat(s.server().compression().minSize()).isEqualTo(1024);
    assertThat(s.upstreams().get("a").coalesce()).isTrue();
  }

  @Test
  void refusesConflictingOrMisspelledSettings() {
    assertThat(
            errors(
                """
        version: 1
        cache: { maxBytes: 10MiB, maxEntries: 100 }
        server:
          compression: { encodings: [gzip, zstd] }
        upstreams:
          a: { url: "http://127.0.0.1:9101" }
        experiences:
          web:
            routes:
              POST /p/{id}:
                cache: { ttl: 30s }
                steps:
                  x: { upstream: a, path: "/x/{id}" }
              GET /q/{id}:
                cacheControl: "public, max-age=ten"
                cache: { ttl: 30s, varyClaims: [tenant], staleIfErorr: 1m }
                steps:
                  x: { upstream: a, method: POST, path: "/x/{id}", cache: { ttl: 0s } }
        """))
        .containsExactlyInAnyOrder(
            "c.yaml:2:8: cache: both maxBytes and maxEntries are set (expected one of them: the store is bounded either by size or by count)",
            "c.yaml:4:29: server.compression.encodings: 'zstd' (expected br or gzip)",
            "c.yaml:11:16: experiences.web.routes[\"POST /p/{id}\"].cache: cache on a POST route (expected a GET route: only reads are cached)",
            "c.yaml:15:23: experiences.web.routes[\"GET /q/{id}\"].cacheControl: 'max-age=ten' in cacheControl (expected directives among: "
                + "public, private, no-cache, no-store, no-transform, must-revalidate, proxy-revalidate, immutable, max-age=N, "
                + "s-maxage=N, stale-while-revalidate=N, stale-if-error=N)",
            "c.yaml:16:50: experiences.web.routes[\"GET /q/{id}\"].cache.staleIfErorr: unknown key 'staleIfErorr' (did you mean 'staleIfError'?) (expected one of: "
                + "ttl, tags, staleWhileRevalidate, staleIfError, shared, varyClaims)",
            "c.yaml:16:40: experiences.web.routes[\"GET /q/{id}\"].cache.varyClaims: varyClaims without shared: true (expected "
                + "shared: true: an unshared entry is already keyed by the subject)",
            "c.yaml:18:74: experiences.web.routes[\"GET /q/{id}\"].steps.x.cache.ttl: 0 (expected a positive duration; leave cache: out to not cache)",
            "c.yaml:18:67: experiences.web.routes[\"GET /q/{id}\"].steps.x.cache: cache on a POST step (expected a GET or HEAD step: only reads are cached)");
  }

  @Test
  void tagTemplatesAreCompiledAtLoadAgainstTheRoutesNames() {
    assertThat(
            errors(
                HEAD
                    + """
              GET /p/{id}:
                cache: { ttl: 30s, tags: ["product:{id}", "brand:{prodct.brand}"] }
                steps:
                  product: { upstream: a, path: "/x/{id}", cache: { ttl: 5s, tags: ["r:{reslt.id}"] } }
        """))
        .containsExactlyInAnyOrder(
            "c.yaml:8:57: experiences.web.routes[\"GET /p/{id}\"].cache.tags: unknown reference 'prodct.brand' (did you mean 'product'?) (expected one of: id, params, query, headers, claims, body, product)",
            "c.yaml:10:79: experiences.web.routes[\"GET /p/{id}\"].steps.product.cache.tags: unknown reference 'reslt.id' (did you mean 'result'?) (expected one of: id, params, query, headers, claims, body, product, result)");
  }
}
