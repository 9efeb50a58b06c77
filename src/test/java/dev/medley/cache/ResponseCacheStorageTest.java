package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.CacheSpec;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
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
    Caching caching =
        new Caching(
            new dev.medley.state.MemoryCacheStore(CacheSpec.DEFAULT, clock),
            clock,
            dev.medley.observe.Metrics.NOOP);
    RouteRunner composer =
        (req, scope) -> {
          composed.incrementAndGet();
          Reply r = Reply.json(200, "{\"user\":\"alice\"}".getBytes(StandardCharsets.UTF_8));
          if (setCookie != null) {
            r.headers().add("set-cookie", setCookie);
          }
          return Future.succeededFuture(new RouteRunner.Answer(r, false));
        };
    RouteHandler handler =
        new RouteHandler(RouteRunner.decorate(List.of(caching.responseCache()), composer));
    return Generation.of(plan, none, List.of(), handler);
  }

  private static Reply get(EdgeHandler h) {
    EdgeRequest req =
        new EdgeRequest(
            "GET",
            "/p/1",
            null,
            MultiMap.caseInsensitiveMultiMap(),
            MultiMap.caseInsensitiveMultiMap(),
            null,
            "127.0.0.1",
            "r",
            0);
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
}
