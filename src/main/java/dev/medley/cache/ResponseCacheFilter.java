package dev.medley.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Reply;
import dev.medley.edge.RouteHandler;
import dev.medley.edge.StateSource;
import dev.medley.json.Json;
import dev.medley.plan.CachePlan;
import dev.medley.plan.RoutePlan;
import dev.medley.observe.CacheResult;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The response cache, for GET routes with {@code cache:}; it runs after the route matcher. A fresh
 * entry answers at once ({@code X-Cache: HIT}). Otherwise one fill per key composes the answer while
 * identical requests wait for it ({@code MISS}). A stale entry within {@code staleWhileRevalidate}
 * answers at once while one background fill runs; within {@code staleIfError} it stands in for a
 * fill that failed, marked partial ({@code STALE}).
 *
 * <p>Only a complete 200 is stored: never one with {@code Set-Cookie}, never a partial one, and
 * only its body and content type, so nothing request-specific is replayed to someone else.
 */
final class ResponseCacheFilter implements EdgeFilter {
  static final String X_CACHE = "X-Cache";

  private final CacheStore store;
  private final Clock clock;
  private final CacheCounters counters;
  private final Flight<String, Reply> fills = new Flight<>();

  ResponseCacheFilter(CacheStore store, Clock clock, CacheCounters counters) {
    this.store = store;
    this.clock = clock;
    this.counters = counters;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    RoutePlan route = req.route();
    CachePlan rule = route == null ? null : route.cache();
    // HEAD is answered as GET without the body, so it shares GET's entries.
    if (rule == null || !("GET".equals(req.method()) || "HEAD".equals(req.method()))) {
      return next.handle(req);
    }
    String key = CacheKeys.response(req, route, rule, req.generation().plan().version());
    return store.get(key).compose(entry -> {
      long now = clock.nanoTime();
      if (entry != null && entry.source() != null) {
        req.attr(StateSource.CACHE, entry.source());
      }
      if (entry != null && entry.fresh(now)) {
        counters.response(CacheResult.HIT);
        return Future.succeededFuture(fromEntry(entry, "HIT", now));
      }
      if (entry != null && entry.servableWhileRevalidating(now)) {
        counters.response(CacheResult.STALE);
        if (!fills.isRunning(key)) {
          fill(key, req, next, rule); // the outcome only refreshes the entry
        }
        return Future.succeededFuture(fromEntry(entry, "STALE", now));
      }
      return answer(key, req, next, rule, entry);
    });
  }

  /** Waits for this key's fill (starting it if none runs); a failed fill may fall back to {@code stale}. */
  private Future<Reply> answer(String key, EdgeRequest req, EdgeHandler next, CachePlan rule, CacheEntry stale) {
    Flight.Ticket<Reply> ticket = fill(key, req, next, rule);
    if (!ticket.leader()) {
      counters.responseJoined.increment();
    }
    return ticket.outcome().transform(ar -> {
      Reply r = ar.succeeded() ? ar.result() : null;
      boolean failed = r == null || r.status() >= 500;
      if (failed && stale != null && stale.servableOnError(clock.nanoTime())) {
        counters.response(CacheResult.STALE);
        return Future.succeededFuture(staleOnError(stale));
      }
      if (r == null) {
        return Future.failedFuture(ar.cause());
      }
      // Every waiter writes its own copy: headers are per response.
      return Future.succeededFuture(new Reply(r.status(), MultiMap.caseInsensitiveMultiMap().addAll(r.headers()),
          ticket.leader() ? r.body() : r.body().copy()));
    });
  }

  private Flight.Ticket<Reply> fill(String key, EdgeRequest req, EdgeHandler next, CachePlan rule) {
    return fills.join(key, () -> {
      counters.response(CacheResult.MISS);
      long generation = store.generation();
      long started = clock.nanoTime();
      // Another replica filling this key answers for us too; waiting leaves half the deadline for our own fill.
      long waitUntil = started + req.route().deadline().toNanos() / 2;
      return store.awaitOtherFill(key, waitUntil).compose(other -> {
        if (other == null) {
          return fillHere(key, req, next, rule, generation, started);
        }
        req.attr(StateSource.CACHE, StateSource.REDIS);
        return Future.succeededFuture(fromEntry(other, "HIT", clock.nanoTime()));
      });
    });
  }

  private Future<Reply> fillHere(String key, EdgeRequest req, EdgeHandler next, CachePlan rule, long generation,
      long started) {
    return next.handle(req).compose(r -> {
      r.headers().set(X_CACHE, "MISS");
      List<String> tags = req.attr(RouteHandler.CACHE_TAGS);
      if (!storable(r) || tags == null) {
        return Future.succeededFuture(r);
      }
      List<String> all = new ArrayList<>(tags.size() + 1);
      all.addAll(tags);
      all.add(CacheKeys.responseKeyTag(req));
      byte[] body = r.body().getBytes();
      String etag = Etags.of(body);
      r.headers().set("etag", etag);
      long fresh = started + rule.ttl().toNanos();
      CacheEntry e = new CacheEntry(body, r.headers().get("content-type"), etag, List.copyOf(all), generation,
          started, fresh, fresh + rule.staleWhileRevalidate().toNanos(), fresh + rule.staleIfError().toNanos());
      return store.put(key, e).map(r);
    });
  }

  private static boolean storable(Reply r) {
    return r.status() == 200 && r.body() != null && !r.headers().contains("set-cookie")
        && !r.headers().contains(RouteHandler.PARTIAL_HEADER);
  }

  private static Reply fromEntry(CacheEntry e, String state, long now) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (e.contentType() != null) {
      h.set("content-type", e.contentType());
    }
    h.set("etag", e.etag());
    h.set(X_CACHE, state);
    h.set("age", Long.toString(e.ageSeconds(now)));
    return new Reply(200, h, Buffer.buffer(e.body()));
  }

  /** The stale body, marked partial as any degraded answer is; its ETag is left to be recomputed. */
  private Reply staleOnError(CacheEntry e) {
    Reply r = fromEntry(e, "STALE", clock.nanoTime());
    r.headers().remove("etag");
    r.headers().set(RouteHandler.PARTIAL_HEADER, "stale");
    try {
      JsonNode body = Json.parse(e.body());
      if (body instanceof ObjectNode o) {
        o.put("_partial", true);
        return new Reply(200, r.headers(), Buffer.buffer(Json.bytes(o)));
      }
    } catch (IOException notJson) {
      // Only JSON is composed; a body that is not is served as stored, the header still says stale.
    }
    return r;
  }
}
