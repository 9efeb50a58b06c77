package dev.medley.gateway;

import dev.medley.admin.AdminServer;
import dev.medley.cache.CacheStats;
import dev.medley.cache.Caching;
import dev.medley.edge.CompressionFilter;
import dev.medley.config.ConfigException;
import dev.medley.config.MedleySpec;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeServer;
import dev.medley.edge.LivePlan;
import dev.medley.edge.RouteHandler;
import dev.medley.edge.RouteMatcher;
import dev.medley.config.UpstreamSpec;
import dev.medley.upstream.UpstreamPolicy;
import java.util.ArrayList;
import dev.medley.engine.Engine;
import dev.medley.engine.Upstreams;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running gateway: the live plan with its upstream clients, the public listener and the admin
 * listener. Built from a spec; every request reads the live plan once, so a swap never affects a
 * request already running.
 */
public final class Gateway {
  private final Vertx vertx;
  private final GatewayOptions options;
  private final AtomicReference<Live> live = new AtomicReference<>();
  private final EdgeServer edge;
  private final AdminServer admin;
  private final Caching caching;
  private final CompressionFilter compression;
  private final Engine engine;
  private int port;
  private int adminPort;

  /** The plan being served and the clients it owns (closed when the plan is retired). */
  private record Live(LivePlan plan, UpstreamRegistry registry) {}

  private Gateway(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.caching = new Caching(options.spec().cache(), options.clock());
    this.compression = new CompressionFilter(options.spec().server().compression());
    this.engine = new Engine(options.clock(), caching.stepCache());
    this.edge = new EdgeServer(edgeChain(new RouteHandler(engine)), options.clock(), options.maxRequestBody());
    this.admin = new AdminServer(options.spec().server().admin().token(), () -> live.get() != null);
    options.adminRoutes().forEach(r -> admin.route(r.method(), r.prefix(), r.handler()));
    caching.registerAdmin(admin, engine::batchStats);
  }

  /**
   * The inbound chain, in this order: filters that see every request (compression first, so it
   * sees every answer last; logging, metrics, tracing, CORS preflight), then the route matcher
   * (404/405), then per-route filters (auth, rate limits, client caching, response cache; the
   * response cache after anything that sets claims), then the route handler.
   */
  private EdgeHandler edgeChain(EdgeHandler terminal) {
    List<EdgeFilter> filters = new ArrayList<>();
    filters.add(compression);
    filters.add(new RouteMatcher(() -> live.get().plan()));
    filters.addAll(options.routeFilters());
    filters.add(caching.clientCaching());
    filters.add(caching.responseCache());
    return EdgeFilter.chain(filters, terminal);
  }

  /**
   * The outbound policies of one upstream, outermost first, in the documented order:
   * coalescing/step cache, then retry( breaker( bulkhead( timeout( call )))), the timeout being
   * enforced by the HTTP client itself.
   */
  private List<UpstreamPolicy> policies(UpstreamSpec spec) {
    List<UpstreamPolicy> policies = new ArrayList<>();
    if (spec.coalesce()) {
      policies.add(caching.coalescer());
    }
    return policies;
  }

  /** Compiles the spec, connects upstream clients and starts both listeners. */
  public static Future<Gateway> start(Vertx vertx, GatewayOptions options) {
    Gateway g = new Gateway(vertx, options);
    MedleySpec spec = options.spec();
    // Compiling (CEL, templates) is CPU work that must not run on an event loop.
    return vertx.executeBlocking(() -> g.build(spec, options.configText()), false)
        .compose(built -> {
          g.live.set(built);
          return g.compression.start(vertx);
        })
        .compose(v -> g.edge.start(vertx, spec.server().host(), spec.server().port(), options.instances()))
        .compose(p -> {
          g.port = p;
          return g.admin.start(vertx, spec.server().admin().host(), spec.server().admin().port());
        })
        .map(ap -> {
          g.adminPort = ap;
          return g;
        });
  }

  private Live build(MedleySpec spec, String text) throws ConfigException {
    PlanCompiler.Result r = PlanCompiler.compile(spec, version(text));
    if (!r.ok()) {
      throw new ConfigException(r.errors());
    }
    UpstreamRegistry registry = new UpstreamRegistry(vertx, spec.upstreams(), options.clock(), this::policies);
    Upstreams ups = new Upstreams() {
      @Override
      public UpstreamCall call(String name) {
        return registry.call(name);
      }

      @Override
      public Duration timeout(String name) {
        return registry.timeout(name);
      }
    };
    return new Live(new LivePlan(r.plan(), ups), registry);
  }

  /** A short hash of the config text: the plan version shown by the admin API and logs. */
  public static String version(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  public Plan plan() {
    return live.get().plan().plan();
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  public Clock clock() {
    return options.clock();
  }

  /** The response encodings offered now, in preference order (Brotli only where it loads). */
  public List<String> compressionOffered() {
    return compression.offered();
  }

  /** Cache, coalescing and batching counters (hits, misses, stale answers ...), for metrics and tests. */
  public CacheStats cacheStats() {
    return caching.stats(engine.batchStats());
  }

  /** Stops both listeners and closes upstream clients. */
  public Future<Void> close() {
    return edge.stop(vertx)
        .eventually(admin::stop)
        .eventually(() -> live.get().registry().close());
  }
}
