import dev.medley.cache.Caching;
import dev.medley.config.CacheSpec;
import dev.medley.config.CompressionSpec;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.UpstreamSpec;
import dev.medley.edge.CompressionFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Generation;
import dev.medley.edge.Reply;
import dev.medley.edge.RouteHandler;
import dev.medley.edge.RouteRunner;
import dev.medley.engine.Upstreams;
import dev.medley.observe.Metrics;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.state.MemoryCacheStore;
import dev.medley.time.ManualClock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import dev.medley.upstream.resilience.Resilience;
import dev.medley.upstream.resilience.ResilienceListener;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Bytes allocated (and, on a loaded machine only roughly, nanoseconds) per operation of two pieces
 * of the page with the defaults on, measured on one thread with the JVM's per-thread allocation
 * counter: allocation does not depend on what else runs on the machine, time does.
 *
 * <ul>
 *   <li>{@code policies}: one upstream call through the default resilience chain (retry, breaker,
 *       bulkhead) over an upstream whose answer arrives once the chain has set up its listeners;
 *   <li>{@code cachedHitGzip}: one response-cache hit of a 4 KB page asked with {@code
 *       Accept-Encoding: gzip}, through the compression filter.
 * </ul>
 *
 * Run by bench/alloc.sh against any build's classes, so two builds compare on the same harness.
 */
public final class DefaultsAlloc {
  public static void main(String[] args) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    measure("policies", policies(), mx);
    measure("cachedHitGzip", cachedHit(), mx);
  }

  private static void measure(String name, LongSupplier op, com.sun.management.ThreadMXBean mx) {
    long sink = 0;
    for (int i = 0; i < 300_000; i++) {
      sink += op.getAsLong();
    }
    int n = 300_000;
    long t = Thread.currentThread().threadId();
    long bytes0 = mx.getThreadAllocatedBytes(t);
    long time0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += op.getAsLong();
    }
    long ns = System.nanoTime() - time0;
    long bytes = mx.getThreadAllocatedBytes(t) - bytes0;
    System.out.printf(
        "%-14s %8.0f B/op %8.0f ns/op (sink %d)%n", name, bytes / (double) n, ns / (double) n, sink % 7);
  }

  private static LongSupplier policies() {
    String yaml =
        """
        version: 1
        upstreams: { a: { url: "http://127.0.0.1:9" } }
        experiences: { web: { routes: { "GET /x": { steps: { x: { upstream: a, path: /x } } } } } }
        """;
    UpstreamSpec spec =
        new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml").spec().upstreams().get("a");
    ManualClock clock = new ManualClock();
    List<UpstreamPolicy> policies =
        Resilience.policies(spec, clock, new SplittableRandom(1), new ResilienceListener() {});
    UpstreamResponse ok =
        new UpstreamResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{}"));
    // The answer arrives after the chain was set up, as from a socket: listeners are really added.
    Promise<?>[] pending = new Promise<?>[1];
    UpstreamCall call =
        r -> {
          Promise<UpstreamResponse> p = Promise.promise();
          pending[0] = p;
          return p.future();
        };
    for (int i = policies.size() - 1; i >= 0; i--) {
      UpstreamPolicy p = policies.get(i);
      UpstreamCall next = call;
      call = r -> p.apply(r, next);
    }
    UpstreamCall chain = call;
    UpstreamRequest req =
        new UpstreamRequest(
            "x", "GET", "/x", MultiMap.caseInsensitiveMultiMap(), null, Duration.ofSeconds(1),
            Long.MAX_VALUE);
    return () -> {
      Future<UpstreamResponse> answer = chain.call(req);
      @SuppressWarnings("unchecked")
      Promise<UpstreamResponse> p = (Promise<UpstreamResponse>) pending[0];
      p.complete(ok);
      return answer.result().status();
    };
  }

  private static LongSupplier cachedHit() {
    String yaml =
        """
        version: 1
        upstreams: { a: { url: "http://127.0.0.1:9" } }
        experiences:
          web:
            routes:
              GET /p/{id}:
                cache: { ttl: 600s }
                steps: { x: { upstream: a, path: "/x/{id}" } }
        """;
    Plan plan =
        PlanCompiler.compile(new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml").spec(), "v1")
            .plan();
    ManualClock clock = new ManualClock();
    Upstreams none =
        new Upstreams() {
          @Override
          public UpstreamCall call(String name) {
            throw new AssertionError("answered by the stand-in runner");
          }

          @Override
          public Duration timeout(String name) {
            return Duration.ofSeconds(1);
          }
        };
    byte[] page = ("{\"items\":[" + "{\"id\":1,\"name\":\"Trail sock\",\"price\":4.75},".repeat(90) + "{}]}")
        .getBytes(StandardCharsets.UTF_8);
    RouteRunner composer =
        (req, scope) -> Future.succeededFuture(new RouteRunner.Answer(Reply.json(200, page), false));
    Caching caching = new Caching(new MemoryCacheStore(CacheSpec.DEFAULT, clock), clock, Metrics.NOOP);
    EdgeHandler route =
        Generation.of(
            plan,
            none,
            List.of(),
            new RouteHandler(RouteRunner.decorate(List.of(caching.responseCache()), composer)));
    CompressionFilter compression = new CompressionFilter(new CompressionSpec(List.of("gzip"), 1024, 6, 4));
    EdgeHandler h = req -> compression.apply(req, route);
    return () -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("accept-encoding", "gzip");
      EdgeRequest req =
          new EdgeRequest(
              "GET", "/p/1", null, MultiMap.caseInsensitiveMultiMap(), headers, null, "127.0.0.1", "r", 0);
      return h.handle(req).result().body().length();
    };
  }
}
