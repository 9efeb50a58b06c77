package dev.medley.gateway;

import dev.medley.admin.AdminServer;
import dev.medley.config.ConfigException;
import dev.medley.config.MedleySpec;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeServer;
import dev.medley.edge.LivePlan;
import dev.medley.edge.RouteHandler;
import dev.medley.edge.RouteMatcher;
import dev.medley.edge.security.EdgeSecurity;
import dev.medley.edge.security.ListenerOptions;
import dev.medley.edge.security.SecurityPlan;
import dev.medley.upstream.ClientCredentialsPolicy;
import io.vertx.core.http.HttpClient;
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
  private final EdgeSecurity security;
  private final String adminToken;
  private final HttpClient tokenClient;
  private int port;
  private int adminPort;

  /** The plan being served and the clients it owns (closed when the plan is retired). */
  private record Live(LivePlan plan, UpstreamRegistry registry, SecurityPlan security) {}

  private Gateway(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.options = options;
    Engine engine = new Engine(options.clock());
    MedleySpec spec = options.spec();
    this.security = new EdgeSecurity(vertx, options.clock());
    this.tokenClient = vertx.createHttpClient();
    this.edge = new EdgeServer(edgeChain(new RouteHandler(engine)), options.clock(), EdgeSecurity.bodyReadLimit(spec),
        ListenerOptions.of(spec.server()));
    this.adminToken = spec.server().admin().token() != null ? spec.server().admin().token() : AdminServer.randomToken();
    this.admin = new AdminServer(adminToken, () -> live.get() != null);
    options.adminRoutes().forEach(r -> admin.route(r.method(), r.prefix(), r.handler()));
  }

  /**
   * The inbound chain, in this order: filters that see every request (logging, metrics, tracing,
   * CORS preflight), then the route matcher (404/405), then per-route filters (auth, rate limits,
   * response cache), then the route handler.
   */
  private EdgeHandler edgeChain(EdgeHandler terminal) {
    List<EdgeFilter> filters = new ArrayList<>(security.beforeMatch());
    filters.add(new RouteMatcher(() -> live.get().plan()));
    filters.addAll(security.afterMatch());
    return EdgeFilter.chain(filters, terminal);
  }

  /**
   * The outbound policies of one upstream, outermost first, in the documented order:
   * coalescing/step cache, then retry( breaker( bulkhead( timeout( call )))), the timeout being
   * enforced by the HTTP client itself.
   */
  private List<UpstreamPolicy> policies(UpstreamSpec spec) {
    List<UpstreamPolicy> out = new ArrayList<>();
    if (spec.oauth2() != null) {
      out.add(new ClientCredentialsPolicy(spec.name(), spec.oauth2(), tokenClient, options.clock()));
    }
    return out;
  }

  /** Compiles the spec, connects upstream clients and starts both listeners. */
  public static Future<Gateway> start(Vertx vertx, GatewayOptions options) {
    Gateway g = new Gateway(vertx, options);
    MedleySpec spec = options.spec();
    // Compiling (CEL, templates) is CPU work that must not run on an event loop.
    return vertx.executeBlocking(() -> g.build(spec, options.configText()), false)
        .compose(built -> {
          g.live.set(built);
          return g.security.install(built.security());
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
    return new Live(new LivePlan(r.plan(), ups), registry, security.compile(r.plan()));
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

  /** The admin API's bearer token: the configured one, or the one generated at start when none is. */
  public String adminToken() {
    return adminToken;
  }

  public Clock clock() {
    return options.clock();
  }

  /** Stops both listeners and closes upstream clients. */
  public Future<Void> close() {
    return edge.stop(vertx)
        .eventually(admin::stop)
        .eventually(security::close)
        .eventually(tokenClient::close)
        .eventually(() -> live.get().registry().close());
  }
}
