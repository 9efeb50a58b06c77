package dev.medley.edge.security;

import dev.medley.config.ExperienceSpec;
import dev.medley.config.MedleySpec;
import dev.medley.config.RouteSpec;
import dev.medley.edge.limit.InMemoryRateLimitStore;
import dev.medley.edge.limit.RateLimitStore;
import dev.medley.observe.Metrics;
import dev.medley.plan.Plan;
import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The edge's security for the gateway's lifetime: compiles a {@link SecurityPlan} for each
 * generation and keeps the rate-limit store across generations, so a reload does not refill every
 * bucket. The rules themselves come compiled with the plan ({@link dev.medley.plan.RouteAccess}).
 */
public final class EdgeSecurity {
  private static final int MAX_BUCKETS = 100_000;

  private final Vertx vertx;
  private final Clock clock;
  private final RateLimitStore store;

  /** Where rate-limit refusals are counted ({@code medley_rate_limited_total}). */
  private final Metrics metrics;

  /** An event loop for background work (JWKS fetches), taken when the gateway is built. */
  private final Context loop;

  public EdgeSecurity(Vertx vertx, Clock clock) {
    this(vertx, clock, memoryStore(), Metrics.NOOP);
  }

  /** The one-process store: buckets in memory, at most {@value #MAX_BUCKETS} keys. */
  public static RateLimitStore memoryStore() {
    return new InMemoryRateLimitStore(MAX_BUCKETS);
  }

  /**
   * With another store, e.g. a shared one, so replicas share budgets, and the recorder that counts
   * refusals.
   */
  public EdgeSecurity(Vertx vertx, Clock clock, RateLimitStore store, Metrics metrics) {
    this.vertx = vertx;
    this.clock = clock;
    this.store = store;
    this.metrics = metrics;
    this.loop = vertx.getOrCreateContext();
  }

  /**
   * Compiles the security side of {@code plan} and starts loading its keys ({@link
   * SecurityPlan#started()}); close it when the plan's last request has finished.
   */
  public SecurityPlan compile(Plan plan) {
    return SecurityPlan.compile(vertx, loop, plan, clock, store, metrics);
  }

  /**
   * The largest body the listener reads before routing: the server default or any route's own
   * limit.
   */
  public static long bodyReadLimit(MedleySpec spec) {
    long max = spec.server().limits().maxBodySize();
    for (ExperienceSpec e : spec.experiences().values()) {
      for (RouteSpec r : e.routes()) {
        if (r.access().maxBodySize() != null) {
          max = Math.max(max, r.access().maxBodySize());
        }
      }
    }
    return max;
  }
}
