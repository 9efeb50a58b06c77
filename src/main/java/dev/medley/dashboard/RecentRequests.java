package dev.medley.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Reply;
import dev.medley.engine.StepTrace;
import dev.medley.plan.RoutePlan;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * An edge filter that keeps a sample of recent requests for the dashboard ({@code GET
 * /admin/requests}): at most {@value #PER_SECOND} a second, the last {@value #KEPT}, each with its
 * step trace so the dashboard can draw its waterfall. It also counts the requests refused with 429
 * by a rate limit, per experience. The request path pays a clock read and two reads of shared
 * counters per request and, for a sampled one, one small record; rendering happens when the admin
 * API asks.
 */
public final class RecentRequests implements EdgeFilter {
  static final int KEPT = 100;
  static final int PER_SECOND = 20;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Clock clock;
  private final AtomicReferenceArray<Sample> ring = new AtomicReferenceArray<>(KEPT);
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong second = new AtomicLong(Long.MIN_VALUE);
  private final AtomicInteger takenThisSecond = new AtomicInteger();
  private final Map<String, LongAdder> rateLimited = new ConcurrentHashMap<>();

  /** One sampled request; {@code route} is null when none matched. */
  private record Sample(
      long epochMillis,
      String requestId,
      String method,
      RoutePlan route,
      int status,
      long durationNanos,
      List<StepTrace> steps) {}

  public RecentRequests(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    Future<Reply> reply;
    try {
      reply = next.handle(req);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    // A listener on the reply's own future (a Completable, kept as it is by Vert.x), not andThen:
    // no extra future per request. It runs before the outer filters' listeners, as andThen did.
    return reply.onComplete(
        (r, failure) -> {
          int status = failure == null ? r.status() : 500;
          RoutePlan route = req.route();
          if (status == 429) {
            rateLimited
                .computeIfAbsent(route == null ? "none" : route.experience(), e -> new LongAdder())
                .increment();
          }
          long now = clock.nanoTime();
          if (take(now)) {
            long nanos = now - req.startNanos();
            Sample s =
                new Sample(
                    clock.epochMillis() - nanos / 1_000_000L,
                    req.requestId(),
                    req.method(),
                    route,
                    status,
                    nanos,
                    req.trace());
            ring.set((int) (written.getAndIncrement() % KEPT), s);
          }
        });
  }

  /**
   * Whether this second still has room for a sample. Once the second's samples are taken, the
   * requests after only read two shared values (no write every event loop would contend on).
   */
  private boolean take(long nowNanos) {
    long now = Math.floorDiv(nowNanos, 1_000_000_000L);
    long held = second.get();
    if (held != now) {
      if (second.compareAndSet(held, now)) {
        takenThisSecond.set(0);
      }
    } else if (takenThisSecond.get() >= PER_SECOND) {
      return false;
    }
    return takenThisSecond.incrementAndGet() <= PER_SECOND;
  }

  /** Requests refused with 429, by experience ({@code none} when no route had matched). */
  public ObjectNode rateLimited() {
    ObjectNode o = JSON.objectNode();
    new TreeMap<>(rateLimited).forEach((k, v) -> o.put(k, v.sum()));
    return o;
  }

  /** The samples, newest first, without their steps. */
  public ArrayNode render() {
    ArrayNode out = JSON.arrayNode();
    long n = written.get();
    for (long i = n - 1; i >= Math.max(0, n - KEPT); i--) {
      Sample s = ring.get((int) (i % KEPT));
      if (s != null) {
        out.add(summary(s));
      }
    }
    return out;
  }

  /** One sample with its waterfall, or null when it is no longer kept. */
  public ObjectNode find(String requestId) {
    for (int i = 0; i < KEPT; i++) {
      Sample s = ring.get(i);
      if (s != null && s.requestId().equals(requestId)) {
        ObjectNode o = summary(s);
        o.set("steps", Waterfall.steps(s.steps(), s.route()));
        return o;
      }
    }
    return null;
  }

  private static ObjectNode summary(Sample s) {
    ObjectNode o = JSON.objectNode();
    o.put("time", java.time.Instant.ofEpochMilli(s.epochMillis()).toString());
    o.put("requestId", s.requestId());
    o.put("method", s.method());
    o.put("experience", s.route() == null ? "none" : s.route().experience());
    o.put("route", s.route() == null ? "unmatched" : s.route().template());
    o.put("status", s.status());
    o.put("durationMs", Waterfall.ms(s.durationNanos()));
    o.set("partial", Waterfall.partial(s.steps()));
    return o;
  }
}
