package dev.medley.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.json.Json;
import dev.medley.engine.StaleResult;
import dev.medley.engine.StepCache;
import dev.medley.plan.CachePlan;
import dev.medley.plan.Scope;
import dev.medley.plan.StepCall;
import dev.medley.plan.StepPlan;
import dev.medley.observe.CacheResult;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The step cache: upstream bodies of steps with {@code cache:}, shared by every route whose step
 * renders the same call (a product fetched for the web page serves the mobile page too). Freshness,
 * stale windows and single fills work as in the response cache; a stale value standing in for a
 * failed call is reported to the engine as a {@link StaleResult}, which degrades the step.
 *
 * <p>Each caller parses its own copy of the stored bytes, so no request can alter another's value.
 */
final class StepResultCache implements StepCache {
  private final CacheStore store;
  private final Clock clock;
  private final CacheCounters counters;
  private final Flight<String, Fetched> fills = new Flight<>();

  StepResultCache(CacheStore store, Clock clock, CacheCounters counters) {
    this.store = store;
    this.clock = clock;
    this.counters = counters;
  }

  @Override
  public Future<JsonNode> load(StepPlan step, StepCall call, Scope scope, Supplier<Future<Fetched>> fetch) {
    CachePlan rule = step.cache();
    String key = CacheKeys.step(step, call, scope.claims(), rule);
    return store.get(key).compose(entry -> {
      long now = clock.nanoTime();
      if (entry != null && entry.fresh(now)) {
        counters.step(CacheResult.HIT);
        return parse(entry.body());
      }
      if (entry != null && entry.servableWhileRevalidating(now)) {
        counters.step(CacheResult.STALE);
        if (!fills.isRunning(key)) {
          fill(key, step, call, scope, fetch);
        }
        return parse(entry.body());
      }
      Flight.Ticket<Fetched> ticket = fill(key, step, call, scope, fetch);
      return ticket.outcome().transform(ar -> {
        if (ar.succeeded()) {
          return ticket.leader() ? Future.succeededFuture(ar.result().value()) : parse(ar.result().response().body().getBytes());
        }
        if (entry != null && entry.servableOnError(clock.nanoTime())) {
          counters.step(CacheResult.STALE);
          return parse(entry.body()).compose(v -> Future.failedFuture(new StaleResult(v, ar.cause().getMessage())));
        }
        return Future.failedFuture(ar.cause());
      });
    });
  }

  private Flight.Ticket<Fetched> fill(String key, StepPlan step, StepCall call, Scope scope, Supplier<Future<Fetched>> fetch) {
    return fills.join(key, () -> {
      counters.step(CacheResult.MISS);
      long generation = store.generation();
      long started = clock.nanoTime();
      return fetch.get().compose(f -> {
        CacheEntry e = entry(step, call, scope, f, generation, started);
        return e == null ? Future.succeededFuture(f) : store.put(key, e).map(f);
      });
    });
  }

  /** The entry to store for this answer, or null when it must not be stored. */
  private static CacheEntry entry(StepPlan step, StepCall call, Scope scope, Fetched f, long generation, long started) {
    CachePlan rule = step.cache();
    UpstreamResponse resp = f.response();
    if (f.stale()) {
      return null; // an old answer standing in for a failure is not news
    }
    if (resp.headers() != null && resp.headers().contains("set-cookie")) {
      return null; // a cookie belongs to one client session, never to a cache
    }
    Duration ttl = rule.ttl();
    if (rule.honourUpstreamCacheControl()) {
      UpstreamCacheControl cc = UpstreamCacheControl.parse(resp.headers() == null ? null : resp.headers().get("cache-control"));
      if (!cc.store() || (cc.privateOnly() && !CacheKeys.perUser(scope.claims(), rule))) {
        return null;
      }
      ttl = cc.shorten(ttl);
    }
    List<String> tags = rule.tags(scope, f.value());
    if (tags == null) {
      return null;
    }
    List<String> all = new ArrayList<>(tags.size() + 1);
    all.addAll(tags);
    all.add(CacheKeys.stepKeyTag(step, call));
    byte[] body = resp.body() == null ? new byte[0] : resp.body().getBytes();
    long fresh = started + ttl.toNanos();
    return new CacheEntry(body, null, null, List.copyOf(all), generation, started, fresh,
        fresh + rule.staleWhileRevalidate().toNanos(), fresh + rule.staleIfError().toNanos());
  }

  private static Future<JsonNode> parse(byte[] body) {
    if (body.length == 0) {
      return Future.succeededFuture(com.fasterxml.jackson.databind.node.NullNode.getInstance());
    }
    try {
      return Future.succeededFuture(Json.parse(body));
    } catch (IOException e) {
      return Future.failedFuture(new IllegalStateException("a stored body was JSON when stored", e));
    }
  }
}
