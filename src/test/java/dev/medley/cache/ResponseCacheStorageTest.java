package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.CacheSpec;
import dev.medley.config.CompressionSpec;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.edge.CompressionFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Generation;
import dev.medley.edge.Reply;
import dev.medley.edge.RouteHandler;
import dev.medley.edge.RouteRunner;
import dev.medley.engine.Upstreams;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.time.ManualClock;
import dev.medley.upstream.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the response cache may store, checked with the real matcher, route handler and cache
 * decorator around a stand-in for the executor (the engine itself never answers with cookies
 * today).
 */
@Tag("fast")
class ResponseCacheStorageTest {
  private final ManualClock clock = new ManualClock();
  private final AtomicInteger composed = new AtomicInteger();
  private final dev.medley.state.MemoryCacheStore store =
      new dev.medley.state.MemoryCacheStore(CacheSpec.DEFAULT, clock);
  private String body = "{\"user\":\"alice\"}";

  private EdgeHandler gateway(String setCookie) {
    String yaml =
        """
        version: 1
        upstreams: { a: { url: "http://127.0.0.1:9" } }
        experiences:
          web:
            routes:
              GET /p/{id}:
                cache: { ttl: 60s }
                steps: { x: { upstream: a, path: "/x/{id}" } }
        """;
    Plan plan =
        PlanCompiler.compile(new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml").spec(), "v1")
            .plan();
    Upstreams none =
        new Upstreams() {
          @Override
          public UpstreamCall call(String name) {
            throw new AssertionError("the stand-in handler calls nothing");
          }

          @Override
          public Duration timeout(String name) {
            return Duration.ofSeconds(1);
          }
        };
    Caching caching = new Caching(store, clock, dev.medley.observe.Metrics.NOOP);
    RouteRunner composer =
        (req, scope) -> {
          composed.incrementAndGet();
          Reply r = Reply.json(200, body.getBytes(StandardCharsets.UTF_8));
          if (setCookie != null) {
            r.headers().add("set-cookie", setCookie);
          }
          return Future.succeededFuture(new RouteRunner.Answer(r, false));
        };
    RouteHandler handler =
        new RouteHandler(RouteRunner.decorate(List.of(caching.responseCache()), composer));
    return Generation.of(plan, none, List.of(), handler);
  }

  private static Reply get(EdgeHandler h, String... headers) {
    MultiMap in = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      in.add(headers[i], headers[i + 1]);
    }
    EdgeRequest req =
        new EdgeRequest(
            "GET", "/p/1", null, MultiMap.caseInsensitiveMultiMap(), in, null, "127.0.0.1", "r", 0);
    return h.handle(req).result();
  }

  @Test
  void anAnswerSettingACookieIsNeverStored() {
    EdgeHandler h = gateway("sid=abc; HttpOnly");
    assertThat(get(h).headers().get("x-cache")).isEqualTo("MISS");
    assertThat(get(h).headers().get("x-cache")).isEqualTo("MISS");
    assertThat(composed).hasValue(2);
  }

  @Test
  void theSameAnswerWithoutACookieIsStored() {
    EdgeHandler h = gateway(null);
    assertThat(get(h).headers().get("x-cache")).isEqualTo("MISS");
    Reply hit = get(h);
    assertThat(hit.headers().get("x-cache")).isEqualTo("HIT");
    assertThat(hit.headers().contains("set-cookie")).isFalse();
    assertThat(composed).hasValue(1);
  }

  @Test
  void aCachedAnswerIsCompressedOncePerEncodingAndItsVariantsWeighInTheStore() throws Exception {
    body = "{\"user\":\"" + "alice ".repeat(400) + "\"}";
    CompressionFilter compression =
        new CompressionFilter(new CompressionSpec(List.of("gzip"), 100, 6, 4));
    EdgeHandler inner = gateway(null);
    EdgeHandler h = req -> compression.apply(req, inner);

    Reply miss = get(h, "accept-encoding", "gzip");
    assertThat(miss.headers().get("x-cache")).isEqualTo("MISS");
    assertThat(miss.headers().get("content-encoding")).isEqualTo("gzip");
    assertThat(gunzip(miss)).isEqualTo(body);
    assertThat(compression.compressions()).isEqualTo(1);

    for (int i = 0; i < 3; i++) {
      Reply hit = get(h, "accept-encoding", "gzip, br;q=0");
      assertThat(hit.headers().get("x-cache")).isEqualTo("HIT");
      assertThat(hit.headers().get("content-encoding")).isEqualTo("gzip");
      assertThat(hit.headers().get("vary")).isEqualTo("Accept-Encoding");
      assertThat(hit.headers().get("etag")).isEqualTo(miss.headers().get("etag"));
      assertThat(gunzip(hit)).isEqualTo(body);
    }
    assertThat(compression.compressions()).as("hits send the kept variant").isEqualTo(1);
    assertThat(compression.reusedVariants()).isEqualTo(3);

    Reply plain = get(h);
    assertThat(plain.headers().contains("content-encoding")).isFalse();
    assertThat(plain.headers().get("vary")).isEqualTo("Accept-Encoding");
    assertThat(plain.body().toString(StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(composed).hasValue(1);

    // Expired and refilled by a client that takes no compression: the entry holds no variant until
    // the next gzip client, and then weighs more in the store's byte bound.
    clock.advance(Duration.ofSeconds(61));
    assertThat(get(h).headers().get("x-cache")).isEqualTo("MISS");
    long before = store.bytes();
    assertThat(get(h, "accept-encoding", "gzip").headers().get("x-cache")).isEqualTo("HIT");
    assertThat(compression.compressions()).isEqualTo(2);
    assertThat(store.bytes()).as("the variant is counted").isGreaterThan(before);
  }

  private static String gunzip(Reply r) throws java.io.IOException {
    try (var in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body().getBytes()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
