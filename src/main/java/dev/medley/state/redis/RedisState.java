package dev.medley.state.redis;

import dev.medley.config.StateSpec;
import dev.medley.engine.Contexts;
import dev.medley.observe.Metrics;
import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One gateway's link to the shared Redis: the client (its calls stay on the event loop), the
 * breaker and timeout every call goes through, the key names, and the mode each concern is in.
 * Redis being down never fails a request: callers see a failed future at once (open breaker) or
 * within the command timeout, and take their fallback. The breaker lets one probe through after its
 * wait, so sharing resumes by itself when Redis is back.
 */
public final class RedisState {
  /** The logger of mode changes (one line each) and of the invalidation subscription. */
  static final String LOGGER = "dev.medley.state";

  private static final System.Logger LOG = System.getLogger(LOGGER);
  static final String RATE_LIMITS = "rate_limits";
  static final String CACHE = "cache";

  private final Redis client;
  private final Clock clock;
  private final Metrics metrics;
  private final StateSpec spec;
  private final RedisBreaker breaker;
  private final String prefix;
  private final String replicaId = UUID.randomUUID().toString();
  private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private final InvalidationBus bus;
  private volatile boolean closed;

  private RedisState(Vertx vertx, StateSpec spec, Clock clock, Metrics metrics) {
    this.spec = spec;
    this.clock = clock;
    this.metrics = metrics;
    StateSpec.Redis r = spec.redis();
    this.prefix = r.keyPrefix();
    RedisOptions options = options(r);
    this.client = Redis.createClient(vertx, options);
    this.breaker =
        new RedisBreaker(clock, r.breakerFailures(), r.breakerOpenFor().toNanos(), this::changed);
    this.bus = new InvalidationBus(vertx, options, clock, channel(), r.breakerOpenFor());
    metrics.stateMode(RATE_LIMITS, "shared", List.of("shared", "local", "closed"));
    metrics.stateMode(CACHE, "shared", List.of("shared", "bypassed"));
  }

  /**
   * Connects to the Redis of {@code spec} (which must be shared) and starts listening for
   * invalidations.
   */
  public static RedisState start(Vertx vertx, StateSpec spec, Clock clock, Metrics metrics) {
    RedisState s = new RedisState(vertx, spec, clock, metrics);
    s.bus.start();
    return s;
  }

  static RedisOptions options(StateSpec.Redis r) {
    RedisOptions o =
        new RedisOptions()
            .setType(
                switch (r.topology()) {
                  case StateSpec.Redis.SENTINEL -> RedisClientType.SENTINEL;
                  case StateSpec.Redis.CLUSTER -> RedisClientType.CLUSTER;
                  default -> RedisClientType.STANDALONE;
                })
            .setEndpoints(r.endpoints())
            .setMaxPoolSize(r.poolSize())
            .setMaxPoolWaiting(r.poolSize() * 256)
            .setMaxWaitingHandlers(r.poolSize() * 1024)
            .setUser(r.user())
            .setPassword(r.password());
    if (StateSpec.Redis.SENTINEL.equals(r.topology())) {
      o.setMasterName(r.masterName()).setRole(RedisRole.MASTER);
    }
    NetClientOptions net =
        new NetClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, r.connectTimeout().toMillis()))
            .setTcpNoDelay(true);
    if (r.caFile() != null) {
      net.setTrustOptions(new PemTrustOptions().addCertPath(r.caFile()));
    }
    return o.setNetClientOptions(net);
  }

  private void changed(boolean shared) {
    StateSpec.RateLimits rl = spec.rateLimits();
    String limits = shared ? "shared" : rl.onRedisFailure();
    metrics.stateMode(RATE_LIMITS, limits, List.of("shared", "local", "closed"));
    metrics.stateMode(CACHE, shared ? "shared" : "bypassed", List.of("shared", "bypassed"));
    if (shared) {
      LOG.log(Level.INFO, "state: Redis reachable again; rate_limits=shared cache=shared");
    } else {
      LOG.log(
          Level.WARNING,
          "state: Redis unreachable; rate_limits="
              + limits
              + (StateSpec.RateLimits.LOCAL.equals(limits)
                  ? " (each replica allows limit / " + rl.replicas() + ")"
                  : "")
              + " cache=bypassed; retrying every "
              + spec.redis().breakerOpenFor().toMillis()
              + "ms");
    }
    listeners.forEach(l -> l.accept(shared));
    if (!shared) {
      probeLater();
    }
  }

  /**
   * While the breaker is open a PING goes out after each wait, so sharing resumes when Redis is
   * back even if no request asks for it meanwhile.
   */
  private void probeLater() {
    if (closed) {
      return;
    }
    clock.schedule(
        spec.redis().breakerOpenFor(),
        () -> {
          if (!breaker.closed()) {
            send("ping", Request.cmd(Command.PING)).onFailure(e -> probeLater());
          }
        });
  }

  /** Hears {@code true} when sharing resumes and {@code false} when Redis is given up on. */
  void onModeChange(Consumer<Boolean> listener) {
    listeners.add(listener);
  }

  /** True while calls reach Redis; false while the breaker keeps them off it. */
  public boolean shared() {
    return breaker.closed();
  }

  /** The policy for rate limits while Redis is unreachable. */
  StateSpec.RateLimits rateLimits() {
    return spec.rateLimits();
  }

  StateSpec.SharedCache cacheSpec() {
    return spec.cache();
  }

  InvalidationBus bus() {
    return bus;
  }

  Clock clock() {
    return clock;
  }

  /** A key of rate-limit state; spread across a cluster's shards. */
  String limitKey(String bucket) {
    return prefix + "rl:" + bucket;
  }

  /**
   * The prefix of every cache key: one hash tag, so the scripts that touch an entry, its tags and
   * the index run on one Redis Cluster shard.
   */
  String cachePrefix() {
    return prefix + "{cache}:";
  }

  String channel() {
    return prefix + "invalidations";
  }

  String replicaId() {
    return replicaId;
  }

  /** Runs {@code script}; see {@link #send(String, Request)} for timeouts and the breaker. */
  Future<Response> eval(Script script, List<String> keys, List<Object> args) {
    Request sha = Request.cmd(Command.EVALSHA).arg(script.sha1());
    Request text = Request.cmd(Command.EVAL).arg(script.text());
    for (Request r : List.of(sha, text)) {
      r.arg(keys.size());
      keys.forEach(r::arg);
      for (Object a : args) {
        if (a instanceof byte[] b) {
          r.arg(b);
        } else {
          r.arg(String.valueOf(a));
        }
      }
    }
    return send(script.name(), sha)
        .recover(
            e ->
                e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
                    ? send(script.name(), text)
                    : Future.failedFuture(e));
  }

  /**
   * Sends one command unless the breaker is open; fails after the command timeout. Completes on the
   * caller's context, so request state stays on its own event loop.
   */
  Future<Response> send(String op, Request request) {
    if (!breaker.tryAcquire()) {
      metrics.stateCall(op, "rejected", 0);
      return Future.failedFuture(Unavailable.INSTANCE);
    }
    Context ctx = Vertx.currentContext();
    Promise<Response> p = Promise.promise();
    long start = clock.nanoTime();
    Clock.Cancellable timer =
        clock.schedule(
            spec.redis().commandTimeout(),
            () -> {
              if (p.tryFail(
                  new Unavailable(
                      "Redis did not answer within "
                          + spec.redis().commandTimeout().toMillis()
                          + "ms"))) {
                metrics.stateCall(op, "timeout", clock.nanoTime() - start);
                breaker.failure();
              }
            });
    client
        .send(request)
        .onComplete(
            ar -> {
              timer.cancel();
              if (ar.succeeded()) {
                if (p.tryComplete(ar.result())) {
                  metrics.stateCall(op, "ok", clock.nanoTime() - start);
                  breaker.success();
                }
              } else if (p.tryFail(ar.cause())) {
                // NOSCRIPT only means the script is sent once more in full (first use, or after a
                // Redis restart).
                metrics.stateCall(
                    op, isNoScript(ar.cause()) ? "noscript" : "error", clock.nanoTime() - start);
                // A script error (a reply from a live Redis) is not an outage.
                if (isReply(ar.cause())) {
                  breaker.success();
                } else {
                  breaker.failure();
                }
              }
            });
    return Contexts.on(ctx, p.future());
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  /**
   * An error reply of a live Redis (the client's errors that are also responses), not a transport
   * failure.
   */
  private static boolean isReply(Throwable e) {
    return e instanceof Response;
  }

  /** Stops listening and closes the connections. */
  public Future<Void> close() {
    closed = true;
    bus.stop();
    return client.close();
  }

  /** Redis was not asked (open breaker) or did not answer in time. */
  static final class Unavailable extends RuntimeException {
    static final Unavailable INSTANCE = new Unavailable("Redis is unavailable (breaker open)");

    Unavailable(String message) {
      super(message, null, false, false);
    }
  }
}
