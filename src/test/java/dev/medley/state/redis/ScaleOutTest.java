package dev.medley.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.observe.ObserveHooks;
import dev.medley.testing.BlockedThreads;
import dev.medley.testing.Eventually;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.LoadClient;
import dev.medley.testing.LogCapture;
import dev.medley.testing.RedisServer;
import dev.medley.testing.Warmup;
import dev.medley.time.VertxClock;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateways sharing one real {@code redis-server}, as replicas behind a load balancer would:
 * one set of rate limits, one cache, one invalidation, and what happens when Redis dies and comes
 * back. Real time (the gateways' Redis timeouts and breakers run on Vert.x timers), so every wait
 * is bounded and awaited, never slept.
 */
class ScaleOutTest {
  private static final String TOKEN = "scale-out-token";
  private static final String CONFIG =
      """
      version: 1
      server:
        admin: { token: %s }
      state:
        redis:
          endpoints: ["${env:REDIS}"]
          commandTimeout: 250ms
          breaker: { failures: 2, openFor: 100ms }
        rateLimits: { onRedisFailure: local, replicas: 3 }
        cache: { fillLease: 5s }
      upstreams:
        a: { url: "${env:A}", timeout: 4s }
      experiences:
        web:
          basePath: /web
          routes:
            GET /limited/{id}:
              deadline: 2s
              rateLimits: [ { key: header.x-user, rate: 30/min, burst: 30, name: per-user } ]
              steps: { item: { upstream: a, path: "/items/{id}" } }
            GET /page/{id}:
              deadline: 8s
              cache: { ttl: 60s, tags: ["product:{id}"] }
              steps: { item: { upstream: a, path: "/products/{id}" } }
      """
          .formatted(TOKEN);

  private Vertx vertx;
  private RedisServer redis;
  private FakeUpstream upstream;
  private final List<Harness> replicas = new ArrayList<>();

  /** Each replica's access log lines. */
  private final List<Queue<String>> logs = new ArrayList<>();

  @BeforeEach
  void start() {
    Warmup.once();
    BlockedThreads.reset();
    vertx = Harness.vertx();
    redis = RedisServer.start();
    upstream = FakeUpstream.start(vertx);
    upstream.on("/", FakeUpstream.echo());
    for (int i = 0; i < 3; i++) {
      Queue<String> lines = new ConcurrentLinkedQueue<>();
      logs.add(lines);
      replicas.add(
          Harness.start(
              vertx,
              CONFIG,
              Map.of("REDIS", redis.url(), "A", upstream.url()),
              new VertxClock(vertx),
              o -> o.withObserveHooks(new ObserveHooks(null, lines::add))));
    }
  }

  @AfterEach
  void stop() throws Exception {
    replicas.forEach(Harness::close);
    upstream.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
    assertThat(BlockedThreads.warnings()).as("event loop blocked").isEmpty();
  }

  @Test
  void threeReplicasRoundRobinLetThroughOneLimitNotThree() {
    int accepted = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < 90; i++) {
      HttpResponse<String> r = get(replicas.get(i % 3), "/web/limited/1", "x-user", "alice");
      if (r.statusCode() == 200) {
        accepted++;
      } else {
        assertThat(r.statusCode()).isEqualTo(429);
        refused = r;
      }
    }
    // 30 saved-up tokens, and at most one more earned (one every 2s) while the 90 requests ran.
    assertThat(accepted).isBetween(29, 31);
    assertThat(refused).isNotNull();
    assertThat(refused.headers().firstValue("retry-after"))
        .hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isBetween(1L, 2L));
    assertThat(refused.headers().firstValue("ratelimit-policy")).hasValue("\"per-user\";q=30;w=60");
    assertThat(refused.headers().firstValue("ratelimit"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("\"per-user\";r=0;t="));
    assertThat(get(replicas.get(0), "/web/limited/1", "x-user", "bob").statusCode())
        .as("another user's bucket")
        .isEqualTo(200);
    awaitLogged(0, "\"state\":{\"rateLimits\":\"redis\"}");
  }

  @Test
  void aPageFilledOnOneReplicaIsAHitOnTheOthersAndAnInvalidationReachesThemAll() {
    assertThat(xCache(get(replicas.get(0), "/web/page/7"))).isEqualTo("MISS");
    assertThat(xCache(get(replicas.get(1), "/web/page/7"))).isEqualTo("HIT");
    awaitLogged(1, "\"state\":{\"cache\":\"redis\"}");
    assertThat(xCache(get(replicas.get(2), "/web/page/7"))).isEqualTo("HIT");
    HttpResponse<String> explained =
        get(replicas.get(1), "/web/page/7", "x-medley-explain", "1", "x-medley-admin-token", TOKEN);
    assertThat(explained.body())
        .as("explain: now from B's in-process tier")
        .contains("\"state\":{\"rateLimits\":null,\"cache\":\"local\"}");
    assertThat(upstream.count("/products/7"))
        .as("one upstream call for three replicas")
        .isEqualTo(1);

    assertThat(invalidate(replicas.get(0), "{\"tags\":[\"product:7\"]}").statusCode())
        .isEqualTo(200);
    long invalidated = System.nanoTime();
    String seen = xCache(get(replicas.get(1), "/web/page/7"));
    long tookMillis = (System.nanoTime() - invalidated) / 1_000_000;
    assertThat(seen).as("B's in-process copy is gone").isEqualTo("MISS");
    assertThat(tookMillis).as("B missed within 100ms of the invalidation").isLessThanOrEqualTo(100);
    assertThat(xCache(get(replicas.get(2), "/web/page/7")))
        .as("C reads B's new fill")
        .isEqualTo("HIT");
    assertThat(upstream.count("/products/7")).isEqualTo(2);
  }

  @Test
  void aFillRunningOnOneReplicaWhenItsTagIsInvalidatedOnAnotherIsNeverStored() {
    upstream.on("/products/9", upstream.stall());
    CompletableFuture<HttpResponse<String>> filling = replicas.get(0).getAsync("/web/page/9");
    upstream.awaitRequests(1);
    assertThat(invalidate(replicas.get(1), "{\"tags\":[\"product:9\"]}").statusCode())
        .isEqualTo(200);
    upstream.releaseStalled("{\"id\":\"9\"}");
    HttpResponse<String> filled = Harness.await(filling);
    assertThat(filled.statusCode()).isEqualTo(200);
    assertThat(xCache(filled)).isEqualTo("MISS");
    upstream.on("/products/9", FakeUpstream.json("{\"id\":\"9\",\"fresh\":true}"));
    HttpResponse<String> onC = get(replicas.get(2), "/web/page/9");
    assertThat(xCache(onC)).as("the old fill was refused by Redis").isEqualTo("MISS");
    assertThat(onC.body()).contains("fresh");
    assertThat(xCache(get(replicas.get(0), "/web/page/9")))
        .as("nor kept on the replica that filled it")
        .isEqualTo("HIT");
  }

  @Test
  void aColdHotPageRequestedOnThreeReplicasAtOnceCallsTheUpstreamOnce() {
    upstream.on("/products/3", upstream.stall());
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    pending.add(replicas.get(0).getAsync("/web/page/3"));
    upstream.awaitRequests(1);
    pending.add(replicas.get(1).getAsync("/web/page/3"));
    pending.add(replicas.get(2).getAsync("/web/page/3"));
    // B and C have begun their fills and found A's lease: they wait for A's entry instead of
    // calling.
    Eventually.await(
        vertx,
        "B and C waiting on A's fill",
        () ->
            replicas.get(1).gateway.cacheStats().responseMisses() == 1
                && replicas.get(2).gateway.cacheStats().responseMisses() == 1);
    upstream.releaseStalled("{\"id\":\"3\"}");
    List<HttpResponse<String>> answers = pending.stream().map(Harness::await).toList();
    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(answers).extracting(HttpResponse::body).containsOnly(answers.get(0).body());
    assertThat(xCache(answers.get(0))).isEqualTo("MISS");
    assertThat(upstream.count("/products/3"))
        .as("one upstream call across the three replicas")
        .isEqualTo(1);
  }

  @Test
  void redisKilledUnderLoadFailsNothingAndSharingResumesWhenItIsBack() throws Exception {
    try (LogCapture log = LogCapture.of(RedisState.LOGGER)) {
      killedUnderLoad(log);
    }
  }

  private void killedUnderLoad(LogCapture log) throws Exception {
    assertThat(xCache(get(replicas.get(0), "/web/page/1"))).isEqualTo("MISS");
    List<Long> latencies = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    LoadClient[] clients = new LoadClient[3];
    for (int i = 0; i < 3; i++) {
      clients[i] = new LoadClient(replicas.get(i).gateway.port());
    }
    try {
      for (int round = 0; round < 30; round++) {
        if (round == 10) {
          redis.kill();
        }
        List<CompletableFuture<long[]>> batch = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
          String path = i % 2 == 0 ? "/web/page/" + (i % 3) : "/web/limited/" + i;
          long t0 = System.nanoTime();
          batch.add(
              clients[i % 3]
                  .get(path, Map.of("x-user", "load-" + round + "-" + i))
                  .thenApply(a -> new long[] {a.status(), System.nanoTime() - t0}));
        }
        for (CompletableFuture<long[]> f : batch) {
          long[] r = f.get(30, TimeUnit.SECONDS);
          statuses.add((int) r[0]);
          latencies.add(r[1]);
        }
      }
    } finally {
      Arrays.stream(clients).forEach(LoadClient::close);
    }
    assertThat(statuses).as("no request failed while Redis died").hasSize(270).containsOnly(200);
    latencies.sort(null);
    long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
    assertThat(p99 / 1_000_000).as("p99 within the shorter route deadline (2s)").isLessThan(2_000);
    Eventually.await(
        vertx,
        "every replica in fallback",
        () -> replicas.stream().noneMatch(r -> r.gateway.stateShared()));

    assertThat(log.lines())
        .contains(
            "WARNING state: Redis unreachable; rate_limits=local (each replica allows limit / 3)"
                + " cache=bypassed; retrying every 100ms");
    assertThat(mode(replicas.get(0), "rate_limits", "local")).isEqualTo(1.0);
    assertThat(mode(replicas.get(0), "cache", "bypassed")).isEqualTo(1.0);
    assertThat(mode(replicas.get(0), "rate_limits", "shared")).isEqualTo(0.0);

    // Local buckets hold a third of the limit each: 10 of 30 on one replica.
    assertThat(count200(replicas.get(0), "/web/limited/1", "carol", 12)).isEqualTo(10);
    awaitLogged(0, "\"state\":{\"rateLimits\":\"local\"}");

    redis.restart();
    long back = System.nanoTime();
    Eventually.await(
        vertx,
        "every replica shares again",
        () -> replicas.stream().allMatch(r -> r.gateway.stateShared()));
    assertThat((System.nanoTime() - back) / 1_000_000)
        .as("shared again within 5s")
        .isLessThanOrEqualTo(5_000);
    assertThat(log.lines())
        .contains("INFO state: Redis reachable again; rate_limits=shared cache=shared");
    assertThat(mode(replicas.get(1), "rate_limits", "shared")).isEqualTo(1.0);
    int accepted = 0;
    for (int i = 0; i < 45; i++) {
      accepted +=
          get(replicas.get(i % 3), "/web/limited/1", "x-user", "dave").statusCode() == 200 ? 1 : 0;
    }
    assertThat(accepted).as("one shared limit again").isBetween(29, 31);
    assertThat(xCache(get(replicas.get(0), "/web/page/5"))).isEqualTo("MISS");
    assertThat(xCache(get(replicas.get(2), "/web/page/5")))
        .as("the cache is shared again")
        .isEqualTo("HIT");
  }

  /**
   * The {@code medley_state_mode} gauge of {@code concern} and {@code mode} on a replica's {@code
   * GET /metrics}.
   */
  private static double mode(Harness h, String concern, String mode) {
    String body =
        h.request(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + h.gateway.adminPort() + "/metrics"))
                    .header("authorization", "Bearer " + TOKEN)
                    .GET())
            .body();
    return body.lines()
        .filter(
            l ->
                l.startsWith("medley_state_mode{")
                    && l.contains("concern=\"" + concern + "\"")
                    && l.contains("mode=\"" + mode + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no medley_state_mode for " + concern + "/" + mode + " in\n" + body));
  }

  private void awaitLogged(int replica, String text) {
    Eventually.await(
        vertx,
        "replica " + replica + " logged " + text,
        () -> logs.get(replica).stream().anyMatch(l -> l.contains(text)),
        () -> String.join("\n", logs.get(replica)));
  }

  private int count200(Harness h, String path, String user, int n) {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      ok += get(h, path, "x-user", user).statusCode() == 200 ? 1 : 0;
    }
    return ok;
  }

  private static HttpResponse<String> get(Harness h, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(h.uri(path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return h.request(b);
  }

  private static HttpResponse<String> invalidate(Harness h, String body) {
    return h.request(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + h.gateway.adminPort() + "/cache/invalidate"))
            .header("authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static String xCache(HttpResponse<?> r) {
    return r.headers().firstValue("x-cache").orElse("none");
  }
}
