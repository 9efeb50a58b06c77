package dev.medley.gateway;

import dev.medley.admin.AdminServer;
import dev.medley.admin.PlanView;
import dev.medley.admin.Readiness;
import dev.medley.cache.CacheStats;
import dev.medley.cache.Caching;
import dev.medley.config.ConfigException;
import dev.medley.config.MedleySpec;
import dev.medley.config.UpstreamSpec;
import dev.medley.dashboard.Dashboard;
import dev.medley.dashboard.ExplainRunner;
import dev.medley.dashboard.HeldBack;
import dev.medley.dashboard.RecentRequests;
import dev.medley.dashboard.RejectedReload;
import dev.medley.dashboard.UpstreamHealth;
import dev.medley.edge.CanaryChoice;
import dev.medley.edge.CompressionFilter;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeServer;
import dev.medley.edge.Generation;
import dev.medley.edge.RouteHandler;
import dev.medley.edge.security.EdgeSecurity;
import dev.medley.edge.security.ListenerOptions;
import dev.medley.edge.security.SecurityPlan;
import dev.medley.engine.Engine;
import dev.medley.engine.Upstreams;
import dev.medley.observe.Metrics;
import dev.medley.observe.internal.Observability;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.state.MemoryCacheStore;
import dev.medley.state.redis.RedisCacheStore;
import dev.medley.state.redis.RedisRateLimitStore;
import dev.medley.state.redis.RedisState;
import dev.medley.time.Clock;
import dev.medley.upstream.ClientCredentialsPolicy;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.client.UpstreamRegistry;
import dev.medley.upstream.resilience.Resilience;
import dev.medley.upstream.resilience.ResilienceEvents;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A running gateway: the live plan with its upstream clients, the public listener and the admin
 * listener. Every request leases the live plan once (see {@link PlanLeases}), so a reload swaps the
 * plan for new requests while running ones finish on theirs; a shutdown stops accepting, lets
 * running requests finish within the grace period, then closes everything.
 */
public final class Gateway {
  private final Vertx vertx;
  private final GatewayOptions options;

  /** Where health probes and the config watcher run. */
  private final Context operations;

  private final PlanLeases leases = new PlanLeases();
  private final EdgeServer edge;
  private final AdminServer admin;

  /** Breaker transitions, rejections and retries: counted and logged across plan swaps. */
  private final ResilienceEvents resilience = new ResilienceEvents();

  /**
   * JWT, scopes, rate limits, CORS and request limits; its rate-limit budgets outlive plan swaps.
   */
  private final EdgeSecurity security;

  /** Used when the config sets no admin token: the admin API is never open. */
  private final String generatedAdminToken = AdminServer.randomToken();

  /** Fetches OAuth2 service tokens for every upstream that has {@code oauth2}. */
  private final HttpClient tokenClient;

  private final Reloader reloader;
  private final ConfigWatcher watcher;
  private volatile boolean listening;
  private volatile boolean stopping;
  private final Observability observe;
  private final Caching caching;

  /**
   * The shared Redis of {@code state:}, or null when state stays in this process; read once at
   * start.
   */
  private final RedisState state;

  private final CompressionFilter compression;
  private final Engine engine;

  /**
   * The dashboard's sample of recent requests, its one-minute upstream windows and explain runner.
   */
  private final RecentRequests recentRequests;

  private final UpstreamHealth upstreamHealth;
  private final ExplainRunner explainRunner;
  private volatile RejectedReload lastRejection;

  /** Decides which requests a canary serves; shared by every generation. */
  private final CanaryChoice canaryChoice =
      new CanaryChoice(() -> ThreadLocalRandom.current().nextInt(CanaryChoice.BUCKETS));

  /**
   * The filters every route runs after its own (client caching; the response cache decorates the
   * route handler).
   */
  private final List<EdgeFilter> routeTailFilters;

  /** Runs the engine for the matched route: the end of every route's chain. */
  private final EdgeHandler routeHandler;

  private int port;
  private int adminPort;

  private Gateway(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.operations = vertx.getOrCreateContext();
    MedleySpec spec = options.spec();
    // The admin token as the admin API sees it (generated when the config sets none; rotated by
    // reloads).
    this.observe =
        Observability.start(
            vertx, spec.observe(), this::adminToken, options.clock(), options.observeHooks());
    this.state =
        spec.state().shared()
            ? RedisState.start(vertx, spec.state(), options.clock(), observe.metrics())
            : null;
    MemoryCacheStore memory = new MemoryCacheStore(spec.cache(), options.clock());
    this.caching =
        new Caching(
            state == null ? memory : new RedisCacheStore(state, memory),
            options.clock(),
            observe.metrics());
    this.compression = new CompressionFilter(spec.server().compression());
    this.engine = new Engine(options.clock(), caching.stepCache(), observe.metrics());
    resilience.subscribe(new ResilienceMetrics(observe.metrics()));
    this.recentRequests = new RecentRequests(options.clock());
    this.upstreamHealth = new UpstreamHealth(options.clock());
    resilience.subscribe(upstreamHealth);
    this.explainRunner =
        new ExplainRunner(
            vertx, spec.server().host(), spec.server().tls() != null, () -> port, this::adminToken);
    this.security =
        new EdgeSecurity(
            vertx,
            options.clock(),
            state == null ? EdgeSecurity.memoryStore() : new RedisRateLimitStore(state),
            observe.metrics());
    this.tokenClient = vertx.createHttpClient();
    // The listener's limits and TLS come from the config it starts with; a reload cannot change a
    // bound socket.
    this.routeTailFilters = routeTail();
    this.routeHandler = new RouteHandler(engine, List.of(caching.responseCache()));
    this.edge =
        new EdgeServer(
            edgeChain(),
            options.clock(),
            EdgeSecurity.bodyReadLimit(spec),
            ListenerOptions.of(spec.server()),
            spec.server().limits());
    this.admin = new AdminServer(this::adminToken, this::readiness);
    options.adminRoutes().forEach(r -> admin.route(r.method(), r.prefix(), r.handler()));
    admin.route("POST", Caching.INVALIDATE_PATH, caching.invalidateEndpoint());
    admin.route("GET", Caching.STATS_PATH, caching.statsEndpoint(engine::batchStats));
    AdminEndpoints.register(admin, this);
    new Dashboard(dashboardSource(), upstreamHealth, recentRequests, explainRunner).register(admin);
    this.reloader = new Reloader(vertx, options.source(), leases, this::build);
    this.watcher =
        options.source() == null
            ? null
            : new ConfigWatcher(
                vertx,
                operations,
                options.clock(),
                options.source(),
                () -> plan().spec().server().watchInterval(),
                () -> plan().version(),
                reloader::lastRejected,
                this::reload);
    observe.addAdminRoutes(admin);
  }

  /**
   * The inbound chain, in this order: observability (access log, metrics, tracing), the dashboard's
   * request sample (every request, matched or not), compression (so it sees every answer last), the
   * lease (pins the live generation for the request's lifetime), then the pinned {@link
   * Generation}: request limits and CORS, the route matcher (404/405), the matched route's own
   * filters (deprecation headers, its access rules, its canary with the canary's access rules) and
   * the {@link #routeTail() shared tail}.
   */
  private EdgeHandler edgeChain() {
    return EdgeFilter.chain(
        List.of(observe.filter(), recentRequests, compression, leases),
        req -> req.generation().handle(req));
  }

  /**
   * What every route runs after its own filters, in order: extra route filters from the options and
   * client caching; the response cache decorates the route handler's runner (after the inputs are
   * bound), so it runs after anything that sets claims or picks the route.
   */
  private List<EdgeFilter> routeTail() {
    List<EdgeFilter> filters = new ArrayList<>();
    options.routeFilters().forEach(f -> filters.add(f.apply(observe.metrics())));
    filters.add(caching.clientCaching());
    return List.copyOf(filters);
  }

  /**
   * The outbound policies of one upstream, outermost first, in the documented order:
   * coalescing/step cache, then retry( breaker( bulkhead( timeout( call )))), the timeout being
   * enforced by the HTTP client itself. The attempt observer stays last: it must see every attempt,
   * retries included, just before it goes on the wire.
   */
  private List<UpstreamPolicy> policies(UpstreamSpec spec) {
    List<UpstreamPolicy> policies = new ArrayList<>();
    if (spec.coalesce()) {
      policies.add(caching.coalescer());
    }
    policies.addAll(Resilience.policies(spec, options.clock(), options.random(), resilience));
    if (spec.oauth2() != null) {
      // Inside retry, so every attempt carries a valid token.
      policies.add(
          new ClientCredentialsPolicy(spec.name(), spec.oauth2(), tokenClient, options.clock()));
    }
    policies.add(upstreamHealth.attempts(spec.name()));
    policies.add(observe.attempts(spec.name()));
    return policies;
  }

  /** The recorder for retries, breaker transitions, cache results and rate-limit rejections. */
  public Metrics metrics() {
    return observe.metrics();
  }

  /**
   * Compiles the spec, connects upstream clients and starts both listeners (and the config
   * watcher).
   */
  public static Future<Gateway> start(Vertx vertx, GatewayOptions options) {
    return start(vertx, options, null);
  }

  /**
   * As {@link #start(Vertx, GatewayOptions)}, with the plan of {@code options.spec()} already
   * compiled (by the check {@code medley run} makes before starting), so start-up does not compile
   * it twice.
   */
  public static Future<Gateway> start(Vertx vertx, GatewayOptions options, Plan compiled) {
    if (compiled != null && compiled.spec() != options.spec()) {
      throw new IllegalArgumentException("the compiled plan is not the plan of options.spec()");
    }
    Gateway g = new Gateway(vertx, options);
    MedleySpec spec = options.spec();
    // Compiling (CEL, templates) and creating clients is work that must not run on an event loop.
    return vertx
        .executeBlocking(
            () -> g.build(compiled != null ? compiled : compile(spec, options.configText())), false)
        .compose(
            built -> {
              g.leases.install(built);
              return Future.all(g.compression.start(vertx), built.security().started());
            })
        .compose(
            v ->
                g.edge.start(
                    vertx, spec.server().host(), spec.server().port(), options.instances()))
        .compose(
            p -> {
              g.port = p;
              g.listening = true;
              return g.admin.start(
                  vertx, spec.server().admin().host(), spec.server().admin().port());
            })
        .compose(
            ap -> {
              g.adminPort = ap;
              Future<Void> watching =
                  g.watcher == null
                      ? Future.succeededFuture()
                      : vertx
                          .executeBlocking(
                              () -> {
                                g.reloader
                                    .rememberStart(); // what a folder's invalid file goes back to
                                // on reload
                                return null;
                              },
                              false)
                          .compose(x -> g.watcher.start());
              return Future.all(watching, g.health().started());
            })
        .map(x -> g)
        // A gateway that never started still stops its access log writer and probe.
        .recover(t -> g.observe.close().transform(x -> Future.failedFuture(t)));
  }

  private static Plan compile(MedleySpec spec, String text) throws ConfigException {
    PlanCompiler.Result r = PlanCompiler.compile(spec, version(text));
    if (!r.ok()) {
      throw new ConfigException(r.errors());
    }
    return r.plan();
  }

  /** Connects a plan to its own upstream clients and health checks. */
  private Live build(Plan plan) {
    UpstreamRegistry registry =
        new UpstreamRegistry(
            vertx,
            plan.spec().upstreams(),
            options.clock(),
            this::policies,
            resilience,
            options.transport());
    Upstreams ups =
        new Upstreams() {
          @Override
          public UpstreamCall call(String name) {
            return registry.call(name);
          }

          @Override
          public Duration timeout(String name) {
            return registry.timeout(name);
          }
        };
    SecurityPlan guard = security.compile(plan);
    observe.prepare(plan); // the generation's route meters, resolved once
    Generation generation =
        new Generation(plan, ups, guard, canaryChoice, routeTailFilters, routeHandler);
    return new Live(
        generation, registry, HealthChecks.start(vertx, operations, plan, options.clock()), guard);
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

  /**
   * Reads the config file again and swaps in its plan if it is valid and differs; otherwise keeps
   * the live plan and reports why. Never fails: every outcome is a {@link ReloadResult}.
   */
  public Future<ReloadResult> reload() {
    return reloader
        .reload()
        .andThen(
            ar -> {
              if (ar.succeeded()) {
                observe
                    .metrics()
                    .configReload(
                        ar.result().status().name().toLowerCase(java.util.Locale.ROOT),
                        ar.result().heldBack().size());
              }
              if (ar.succeeded() && ar.result().status() == ReloadResult.Status.REJECTED) {
                ReloadResult r = ar.result();
                lastRejection =
                    new RejectedReload(
                        options.clock().epochMillis(),
                        r.version(),
                        r.attemptedVersion(),
                        r.errors());
              }
              if (ar.succeeded()
                  && ar.result().status() == ReloadResult.Status.APPLIED
                  && watcher != null
                  && !stopping) {
                watcher.start(); // a reload may have turned watching back on
              }
            });
  }

  /**
   * Graceful shutdown: readiness turns 503 and the listener stops accepting at once; requests in
   * flight get {@code server.shutdownGrace} to finish; then the admin listener and every upstream
   * client close. Completes when all of that is done.
   */
  public Future<Void> shutdown() {
    stopping = true;
    if (watcher != null) {
      watcher.stop();
    }
    Duration grace = plan().spec().server().shutdownGrace();
    return edge.shutdown(vertx, grace)
        .eventually(admin::stop)
        .eventually(leases::closeAll)
        .eventually(explainRunner::close)
        .eventually(tokenClient::close)
        .eventually(this::closeState);
  }

  private Future<Void> closeState() {
    return state == null ? Future.succeededFuture() : state.close();
  }

  /**
   * True when state is shared through Redis and Redis is reachable now; false in memory or in
   * fallback.
   */
  public boolean stateShared() {
    return state != null && state.shared();
  }

  /** What the dashboard reads: the live plan, cache counters, the last refused reload. */
  private Dashboard.Source dashboardSource() {
    return new Dashboard.Source() {
      @Override
      public Plan plan() {
        return Gateway.this.plan();
      }

      @Override
      public CacheStats cacheStats() {
        return Gateway.this.cacheStats();
      }

      @Override
      public RejectedReload lastRejectedReload() {
        return lastRejection;
      }

      @Override
      public HeldBack heldBack() {
        return new HeldBack(reloader.heldBack(), reloader.heldErrors());
      }
    };
  }

  /** The last reload refused (by the watcher or {@code POST /admin/reload}), or null. */
  public RejectedReload lastRejectedReload() {
    return lastRejection;
  }

  /** The readiness report behind {@code /health/ready}. */
  Readiness readiness() {
    Live l = leases.current();
    return new Readiness(
        l != null, listening, stopping, l == null ? List.of() : l.health().report());
  }

  public Plan plan() {
    return leases.current().plan().plan();
  }

  /** Requests running now, on the live plan and on plans still draining after a reload. */
  public int inFlight() {
    return leases.inFlight();
  }

  /**
   * Connections open now on the public port, counting those still closing (see {@link
   * EdgeServer#openConnections()}).
   */
  public int openConnections() {
    return edge.openConnections();
  }

  /** Plans retired by a reload that still have requests running. */
  public List<PlanView.Draining> draining() {
    return leases.draining().stream()
        .map(l -> new PlanView.Draining(l.version(), l.inFlight()))
        .toList();
  }

  /** The config file this gateway reloads from, or null. */
  public ConfigSource source() {
    return options.source();
  }

  /**
   * The files of a folder config that serve their last good version because their new version is
   * invalid, with the errors that held them back; both empty when every file serves as written.
   */
  public ReloadResult heldBack() {
    String v = plan().version();
    return new ReloadResult(
        ReloadResult.Status.APPLIED, v, v, null, reloader.heldErrors(), reloader.heldBack());
  }

  /** The live plan's health checks; tests await their rounds. */
  HealthChecks health() {
    return leases.current().health();
  }

  /** The config watcher, or null without a config file; tests await its polls. */
  ConfigWatcher watcher() {
    return watcher;
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  /**
   * The admin API's bearer token: the live config's, or the one generated at start when it sets
   * none.
   */
  public String adminToken() {
    Live l = leases.current();
    String configured = l == null ? null : l.plan().plan().spec().server().admin().token();
    return configured != null ? configured : generatedAdminToken;
  }

  /** Resilience counts (breaker transitions, rejections, retries) and listener subscription. */
  public ResilienceEvents resilience() {
    return resilience;
  }

  public Clock clock() {
    return options.clock();
  }

  /** The response encodings offered now, in preference order (Brotli only where it loads). */
  public List<String> compressionOffered() {
    return compression.offered();
  }

  /** Bodies compressed so far; a cached answer's kept variant is sent without one. */
  public long compressions() {
    return compression.compressions();
  }

  /**
   * Cache, coalescing and batching counters (hits, misses, stale answers ...), for metrics and
   * tests.
   */
  public CacheStats cacheStats() {
    return caching.stats(engine.batchStats());
  }

  /** Stops both listeners at once and closes upstream clients, requests or not. */
  public Future<Void> close() {
    stopping = true;
    if (watcher != null) {
      watcher.stop();
    }
    return edge.stop(vertx)
        .eventually(admin::stop)
        .eventually(leases::closeAll)
        .eventually(observe::close)
        .eventually(explainRunner::close)
        .eventually(tokenClient::close)
        .eventually(this::closeState);
  }
}
