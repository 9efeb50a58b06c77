package dev.medley.gateway;

import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Problem;
import dev.medley.edge.Reply;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the live plan and lends it to requests: the first edge filter pins the current plan on the
 * request and holds it until the request has its answer, so a reload swaps the plan for new
 * requests only, and a retired plan closes when its last lease is returned.
 */
final class PlanLeases implements EdgeFilter {
  private final AtomicReference<Live> current = new AtomicReference<>();
  private final Set<Live> draining = ConcurrentHashMap.newKeySet();

  Live current() {
    return current.get();
  }

  void install(Live first) {
    current.set(first);
  }

  /** Makes {@code next} the live plan and retires the previous one; returns the previous one. */
  Live swap(Live next) {
    Live old = current.getAndSet(next);
    draining.add(old);
    old.closed().onComplete(x -> draining.remove(old));
    old.retire();
    return old;
  }

  /** Retired plans that still have requests running. */
  List<Live> draining() {
    List<Live> out = new ArrayList<>();
    draining.stream().filter(l -> !l.isClosed()).forEach(out::add);
    return out;
  }

  /** Requests running on any plan. */
  int inFlight() {
    Live l = current.get();
    int n = l == null ? 0 : l.inFlight();
    for (Live d : draining) {
      n += d.inFlight();
    }
    return n;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    Live lease = acquire();
    if (lease == null) {
      return Future.succeededFuture(
          Problem.reply(
              503, "shutting-down", "Service Unavailable", "the gateway is shutting down", req));
    }
    req.pin(lease.plan());
    Future<Reply> reply;
    try {
      reply = next.handle(req);
    } catch (RuntimeException e) {
      lease.release();
      throw e;
    }
    return reply.andThen(ar -> lease.release());
  }

  /**
   * The current plan, counted; null only when the current plan itself is closed (end of shutdown).
   * A plan read just before a swap may close before it is counted: the next read finds its
   * successor.
   */
  private Live acquire() {
    while (true) {
      Live l = current.get();
      if (l.tryAcquire()) {
        return l;
      }
      if (current.get() == l) {
        return null;
      }
    }
  }

  /** Closes every plan's clients now, requests or not. */
  Future<Void> closeAll() {
    List<Future<Void>> all = new ArrayList<>();
    Live l = current.get();
    if (l != null) {
      all.add(l.closeNow());
    }
    draining.forEach(d -> all.add(d.closeNow()));
    return Future.join(all).mapEmpty();
  }
}
