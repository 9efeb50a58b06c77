package dev.medley.gateway;

import dev.medley.edge.Generation;
import dev.medley.edge.security.SecurityPlan;
import dev.medley.upstream.client.UpstreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lifecycle of one {@link Generation}: the upstream clients, health checks and JWT keys it
 * owns, and a count of the requests running on it. Once retired by a reload it closes its clients
 * when its last request finishes, never before: a request keeps the clients of the plan it started
 * on until it has answered.
 */
final class Live {
  /**
   * {@link #inFlight} once the clients are closing (it only goes lower): no request may acquire the
   * plan any more.
   */
  private static final int CLOSED = -1;

  private final Generation plan;
  private final UpstreamRegistry registry;
  private final HealthChecks health;
  private final SecurityPlan security;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Promise<Void> closed = Promise.promise();
  private volatile boolean retired;

  Live(Generation plan, UpstreamRegistry registry, HealthChecks health) {
    this(plan, registry, health, null);
  }

  Live(Generation plan, UpstreamRegistry registry, HealthChecks health, SecurityPlan security) {
    this.plan = plan;
    this.registry = registry;
    this.health = health;
    this.security = security;
  }

  /** The plan's compiled security (JWT keys, access rules), closed with the plan. */
  SecurityPlan security() {
    return security;
  }

  /** What requests pinned to this generation run on. */
  Generation plan() {
    return plan;
  }

  String version() {
    return plan.plan().version();
  }

  HealthChecks health() {
    return health;
  }

  /** Counts one more request on this plan; false when the plan is already closing. */
  boolean tryAcquire() {
    while (true) {
      int n = inFlight.get();
      if (n < 0) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** One request finished; the last one on a retired plan closes it. */
  void release() {
    if (inFlight.decrementAndGet() == 0 && retired) {
      closeIfIdle();
    }
  }

  /**
   * Takes the plan out of service: its health checks stop now, its clients once no request runs on
   * it. The order of {@code retired = true} before the idle check, and of the decrement before the
   * {@code retired} read in {@link #release}, guarantees one of the two closes it.
   */
  void retire() {
    retired = true;
    health.stop();
    closeIfIdle();
  }

  /** Closes at once, requests or not: for the end of a shutdown, after the grace period. */
  Future<Void> closeNow() {
    retired = true;
    inFlight.set(CLOSED);
    health.stop();
    close();
    return closed.future();
  }

  private void closeIfIdle() {
    if (inFlight.compareAndSet(0, CLOSED)) {
      close();
    }
  }

  private void close() {
    if (closing.compareAndSet(false, true)) {
      registry
          .close()
          .eventually(() -> security == null ? Future.succeededFuture() : security.close())
          .onComplete(closed);
    }
  }

  /** Requests running on this plan now. */
  int inFlight() {
    return Math.max(0, inFlight.get());
  }

  /** True once the clients are closing or closed. */
  boolean isClosed() {
    return inFlight.get() < 0;
  }

  /** Completes when the clients are closed. */
  Future<Void> closed() {
    return closed.future();
  }
}
