import dev.medley.cache.Caching;
import dev.medley.config.CacheSpec;
import dev.medley.config.CompressionSpec;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.UpstreamSpec;
import dev.medley.edge.CompressionFilter;
import dev.medley.edge.EdgeFilter;
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
 *       Accept-Encoding: gzip}, through the compression filter;
 *   <li>{@code defaultsPage}: the 4-way product page of bench/config/medley-defaults.yaml with its
 *       defaults on, without the HTTP codecs: the observe filter (metrics, access line handed to
 *       its writer thread), the dashboard's request sample and upstream health, route matching, the engine, four upstream calls through the default
 *       policies and the attempt observer (answers already there), shaping, the JSON body and
 *       its ETag;
 *   <li>{@code observePage}: the observe filter alone around a matched 4-step page (its metrics,
 *       access line, and four attempts through the attempt observer), the route answering a fixed
 *       reply;
 *   <li>{@code etag4k}: the client-caching filter's weak ETag of a 4 KB GET 200.
 * </ul>
 *
 * Besides bytes, each line gives wall and CPU time per operation of the measuring thread; on a
 * shared machine the CPU time is the steadier of the two.
 *
 * Run by bench/alloc.sh against any build's classes, so two builds compare on the same harness.
 */
public final class DefaultsAlloc {
  public static void main(String[] args) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    measure("policies", policies(), mx);
    measure("cachedHitGzip", cachedHit(), mx);
    measure("defaultsPage", defaultsPage(), mx);
    measure("observePage", observePage(), mx);
    measure("etag4k", etag4k(), mx);
    System.exit(0); // the page's Vert.x (observability's probe) has non-daemon threads
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
    long cpu0 = mx.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      sink += op.getAsLong();
    }
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    long ns = System.nanoTime() - time0;
    long bytes = mx.getThreadAllocatedBytes(t) - bytes0;
    System.out.printf(
        "%-14s %8.0f B/op %8.0f ns/op %8.0f cpu-ns/op (sink %d)%n",
        name,
        bytes / (double) n,
        ns / (double) n,
        cpu / (double) n,
        sink % 7);
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

  private static LongSupplier defaultsPage() {
    String yaml =
        """
        version: 1
        upstreams:
          product: { url: "http://127.0.0.1:9", timeout: 300ms, coalesce: false }
          pricing: { url: "http://127.0.0.1:9", timeout: 300ms, coalesce: false }
          inventory: { url: "http://127.0.0.1:9", timeout: 300ms, coalesce: false }
          reviews: { url: "http://127.0.0.1:9", timeout: 300ms, coalesce: false }
        experiences:
          web:
            basePath: /web
            routes:
              GET /products/{id}:
                params: { id: { pattern: "^[0-9]{1,12}$" } }
                deadline: 300ms
                steps:
                  product: { upstream: product, path: "/products/{id}" }
                  price: { upstream: pricing, path: "/prices/{id}", optional: null }
                  stock: { upstream: inventory, path: "/stock/{id}", optional: { available: null } }
                  reviews: { upstream: reviews, path: "/summary/{id}", optional: { count: 0, average: null } }
                response:
                  id: product.id
                  name: product.name
                  description: product.description
                  images: product.images
                  basePrice: product.basePrice
                  salePrice: product.salePrice
                  price: price
                  inStock: stock.available
                  reviews: reviews
                  _partial: false
        """;
    var spec = new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml").spec();
    Plan plan = PlanCompiler.compile(spec, "v1").plan();
    ManualClock clock = new ManualClock();
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    dev.medley.observe.internal.Observability observe =
        dev.medley.observe.internal.Observability.start(
            vertx,
            dev.medley.config.ObserveSpec.DEFAULT,
            () -> null,
            clock,
            new dev.medley.observe.ObserveHooks(null, line -> {}));
    Map<String, String> bodies =
        Map.of(
            "product",
            "{\"id\":1,\"name\":\"Trailblazer 2 Waterproof Hiking Boot\",\"description\":\"A lightweight, fully waterproof hiking boot with a breathable membrane, a grippy multi-directional lug outsole and a cushioned EVA midsole for all-day comfort on rocky trails. Padded collar, gusseted tongue and a reinforced toe cap.\",\"images\":[{\"url\":\"https://img.shop.example.com/p/1/main.jpg\",\"thumbnail\":\"https://img.shop.example.com/p/1/main_t.jpg\"},{\"url\":\"https://img.shop.example.com/p/1/side.jpg\",\"thumbnail\":\"https://img.shop.example.com/p/1/side_t.jpg\"},{\"url\":\"https://img.shop.example.com/p/1/sole.jpg\",\"thumbnail\":\"https://img.shop.example.com/p/1/sole_t.jpg\"}],\"basePrice\":149.99,\"salePrice\":119.99}",
            "pricing",
            "{\"amount\":119.99,\"currency\":\"EUR\"}",
            "inventory",
            "{\"available\":true,\"quantity\":42}",
            "reviews",
            "{\"count\":318,\"average\":4.6}");
    dev.medley.dashboard.UpstreamHealth health = new dev.medley.dashboard.UpstreamHealth(clock);
    dev.medley.dashboard.RecentRequests recent = new dev.medley.dashboard.RecentRequests(clock);
    Map<String, UpstreamCall> chains = new java.util.HashMap<>();
    for (String name : bodies.keySet()) {
      Buffer body = Buffer.buffer(bodies.get(name));
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
      UpstreamCall call = r -> Future.succeededFuture(new UpstreamResponse(200, headers, body));
      List<UpstreamPolicy> policies =
          new java.util.ArrayList<>(
              Resilience.policies(
                  spec.upstreams().get(name),
                  clock,
                  new SplittableRandom(1),
                  new ResilienceListener() {}));
      policies.add(health.attempts(name)); // the dashboard's, then observe's: the gateway's order
      policies.add(observe.attempts(name));
      for (int i = policies.size() - 1; i >= 0; i--) {
        UpstreamPolicy p = policies.get(i);
        UpstreamCall next = call;
        call = r -> p.apply(r, next);
      }
      chains.put(name, call);
    }
    Upstreams ups =
        new Upstreams() {
          @Override
          public UpstreamCall call(String name) {
            return chains.get(name);
          }

          @Override
          public Duration timeout(String name) {
            return Duration.ofMillis(300);
          }
        };
    Caching caching = new Caching(new MemoryCacheStore(CacheSpec.DEFAULT, clock), clock, Metrics.NOOP);
    Generation generation =
        Generation.of(
            plan,
            ups,
            List.of(caching.clientCaching()),
            new dev.medley.edge.RouteHandler(new dev.medley.engine.Engine(clock)));
    EdgeHandler page = EdgeFilter.chain(List.of(observe.filter(), recent), generation);
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    return () -> {
      EdgeRequest req =
          new EdgeRequest(
              "GET", "/web/products/1", null, query, MultiMap.caseInsensitiveMultiMap(), null,
              "127.0.0.1", "r", clock.nanoTime());
      Reply r = page.handle(req).result();
      if (r.status() != 200) {
        throw new AssertionError("page answered " + r.status() + ": " + r.body());
      }
      return r.body().length();
    };
  }

  private static byte[] page4k() {
    return ("{\"items\":[" + "{\"id\":1,\"name\":\"Trail sock\",\"price\":4.75},".repeat(90) + "{}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static LongSupplier etag4k() {
    ManualClock clock = new ManualClock();
    Caching caching = new Caching(new MemoryCacheStore(CacheSpec.DEFAULT, clock), clock, Metrics.NOOP);
    dev.medley.edge.EdgeFilter client = caching.clientCaching();
    byte[] page = page4k();
    EdgeHandler next = req -> Future.succeededFuture(Reply.json(200, page));
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    return () -> {
      EdgeRequest req =
          new EdgeRequest(
              "GET", "/p/1", null, query, MultiMap.caseInsensitiveMultiMap(), null, "127.0.0.1", "r", 0);
      return client.apply(req, next).result().headers().get("etag").length();
    };
  }

  private static LongSupplier observePage() {
    String yaml =
        """
        version: 1
        upstreams:
          product: { url: "http://127.0.0.1:9" }
          pricing: { url: "http://127.0.0.1:9" }
          inventory: { url: "http://127.0.0.1:9" }
          reviews: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            basePath: /web
            routes:
              GET /products/{id}:
                steps:
                  product: { upstream: product, path: "/products/{id}" }
                  price: { upstream: pricing, path: "/prices/{id}", optional: null }
                  stock: { upstream: inventory, path: "/stock/{id}", optional: null }
                  reviews: { upstream: reviews, path: "/summary/{id}", optional: null }
        """;
    Plan plan =
        PlanCompiler.compile(new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml").spec(), "v1")
            .plan();
    ManualClock clock = new ManualClock();
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    dev.medley.observe.internal.Observability observe =
        dev.medley.observe.internal.Observability.start(
            vertx,
            dev.medley.config.ObserveSpec.DEFAULT,
            () -> null,
            clock,
            new dev.medley.observe.ObserveHooks(null, line -> {}));
    String[] steps = {"product", "price", "stock", "reviews"};
    String[] upstreams = {"product", "pricing", "inventory", "reviews"};
    List<dev.medley.engine.StepTrace> trace = new java.util.ArrayList<>();
    for (String s : steps) {
      trace.add(new dev.medley.engine.StepTrace(s, "ok", null, 1_000, 900_000, 1, 1, "none"));
    }
    UpstreamPolicy[] attempts = new UpstreamPolicy[4];
    for (int i = 0; i < 4; i++) {
      attempts[i] = observe.attempts(upstreams[i]);
    }
    UpstreamResponse ok =
        new UpstreamResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{}"));
    UpstreamCall answer = r -> Future.succeededFuture(ok);
    UpstreamRequest up =
        new UpstreamRequest(
            "x", "GET", "/x", MultiMap.caseInsensitiveMultiMap(), null, Duration.ofSeconds(1),
            Long.MAX_VALUE);
    byte[] body = page4k();
    Generation generation =
        Generation.of(
            plan,
            new Upstreams() {
              @Override
              public UpstreamCall call(String name) {
                throw new AssertionError("not called");
              }

              @Override
              public Duration timeout(String name) {
                return Duration.ofSeconds(1);
              }
            },
            List.of(),
            req -> {
              for (UpstreamPolicy a : attempts) {
                a.apply(up, answer);
              }
              req.trace(trace);
              return Future.succeededFuture(Reply.json(200, body));
            });
    dev.medley.edge.EdgeFilter filter = observe.filter();
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    return () -> {
      EdgeRequest req =
          new EdgeRequest(
              "GET", "/web/products/1", null, query, MultiMap.caseInsensitiveMultiMap(), null,
              "127.0.0.1", "r", clock.nanoTime());
      return filter.apply(req, generation).result().status();
    };
  }
}
