package dev.medley.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.config.ObserveSpec;
import dev.medley.config.UpstreamSpec;
import dev.medley.observe.internal.Observability;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import dev.medley.upstream.client.UpstreamRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The attempt observer under a retrying policy, as the resilience module will place it: every
 * attempt (the retry too) gets its own span carrying its retry number, and the call's notes count
 * both attempts.
 */
class AttemptSpansTest extends GatewayTest {
  @Test
  void everyRetryIsItsOwnSpanWithItsRetryNumber() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    Observability observe =
        Observability.start(vertx, ObserveSpec.DEFAULT, null, clock, new ObserveHooks(spans, null));
    AtomicInteger calls = new AtomicInteger();
    a.on(
        "/flaky",
        (req, body) ->
            req.response()
                .setStatusCode(calls.incrementAndGet() == 1 ? 503 : 200)
                .putHeader("content-type", "application/json")
                .end("{}"));
    UpstreamPolicy retryOnce =
        (req, next) ->
            next.call(req)
                .compose(
                    r -> {
                      if (r.status() < 500) {
                        return Future.succeededFuture(r);
                      }
                      observe.metrics().retry("a");
                      return next.call(req);
                    });
    UpstreamSpec spec =
        new dev.medley.config.ConfigLoader(dev.medley.config.Env.of(Map.of()))
            .parse(
                """
        version: 1
        upstreams: { a: { url: "%s", maxConnections: 4, retry: { attempts: 1 }, breaker: off } }
        experiences: { e: { routes: { "GET /x": { steps: { s: { upstream: a, path: /x } } } } } }
        """
                    .formatted(a.url()),
                "t.yaml")
            .spec()
            .upstreams()
            .get("a");
    UpstreamRegistry registry =
        new UpstreamRegistry(
            vertx, Map.of("a", spec), clock, s -> List.of(retryOnce, observe.attempts(s.name())));
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .set("traceparent", "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01");
    UpstreamRequest req =
        new UpstreamRequest(
            "product", "GET", "/flaky", headers, null, Duration.ofSeconds(1), Long.MAX_VALUE);

    UpstreamResponse resp =
        vertx
            .<UpstreamResponse>executeBlocking(() -> null)
            .compose(x -> registry.call("a").call(req))
            .await(10, TimeUnit.SECONDS);

    assertThat(resp.status()).isEqualTo(200);
    assertThat(req.notes().attempts()).isEqualTo(2);
    List<SpanData> attempts = spans.getFinishedSpanItems();
    assertThat(attempts)
        .extracting(s -> s.getAttributes().get(AttributeKey.longKey(TelemetryNames.A_RETRY)))
        .containsExactly(0L, 1L);
    assertThat(attempts)
        .extracting(s -> s.getAttributes().get(AttributeKey.longKey(TelemetryNames.A_HTTP_STATUS)))
        .containsExactly(503L, 200L);
    assertThat(attempts).allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo("2".repeat(16)));
    // the two attempts carried different span ids upstream
    assertThat(a.received())
        .extracting(r -> r.headers().get("traceparent").split("-")[2])
        .containsExactly(attempts.get(0).getSpanId(), attempts.get(1).getSpanId());
    registry.close().await(10, TimeUnit.SECONDS);
    observe.close().await(10, TimeUnit.SECONDS);
  }
}
