package dev.medley.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.engine.StepCache;
import dev.medley.engine.StepValue;
import dev.medley.json.Json;
import dev.medley.plan.CachePlan;
import dev.medley.plan.Scope;
import dev.medley.plan.StepCall;
import dev.medley.plan.StepPlan;
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
 * stale windows and single fills are the response cache's ({@link Freshness}); a stale value
 * standing in for a failed call comes back as a stale {@link StepValue}, which degrades the step.
 *
 * <p>Each caller parses its own copy of the stored bytes, so no request can alter another's value.
 */
final class StepResultCache implements StepCache {
  private final CacheStore store;
  private final Freshness<Fetched> freshness;

  StepResultCache(CacheStore store, Clock clock, CacheCounters counters) {
    this.store = store;
    this.freshness = new Freshness<>(store, clock, counters::step, () -> {}, f -> false);
  }

  @Override
  public Future<StepValue> load(
      StepPlan step, StepCall call, Scope scope, Supplier<Future<Fetched>> fetch) {
    String key = CacheKeys.step(step, call, scope.claims(), step.cache());
    return freshness
        .lookup(
            key,
            (generation, started) ->
                fetch
                    .get()
                    .compose(
                        f -> {
                          CacheEntry e = entry(step, call, scope, f, generation, started);
                          return e == null ? Future.succeededFuture(f) : store.put(key, e).map(f);
                        }))
        .compose(
            a ->
                switch (a.served()) {
                  case FRESH, REVALIDATING -> parse(a.entry().body()).map(StepValue::of);
                  case ON_ERROR -> parse(a.entry().body()).map(StepValue::staleOf);
                  case FILLED ->
                      a.leader()
                          ? Future.succeededFuture(StepValue.of(a.value().value()))
                          : parse(
                                  a.value().response().body() == null
                                      ? new byte[0]
                                      : a.value().response().body().getBytes())
                              .map(StepValue::of);
                });
  }

  /** The entry to store for this answer, or null when it must not be stored. */
  private static CacheEntry entry(
      StepPlan step, StepCall call, Scope scope, Fetched f, long generation, long started) {
    CachePlan rule = step.cache();
    UpstreamResponse resp = f.response();
    if (resp.headers() != null && resp.headers().contains("set-cookie")) {
      return null; // a cookie belongs to one client session, never to a cache
    }
    Duration ttl = rule.ttl();
    if (rule.honourUpstreamCacheControl()) {
      UpstreamCacheControl cc =
          UpstreamCacheControl.parse(
              resp.headers() == null ? null : resp.headers().get("cache-control"));
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
    return CacheEntry.filled(
        body,
        null,
        null,
        List.copyOf(all),
        generation,
        started,
        ttl,
        rule.staleWhileRevalidate(),
        rule.staleIfError());
  }

  private static Future<JsonNode> parse(byte[] body) {
    if (body.length == 0) {
      return Future.succeededFuture(com.fasterxml.jackson.databind.node.NullNode.getInstance());
    }
    try {
      return Future.succeededFuture(Json.parse(body));
    } catch (IOException e) {
      return Future.failedFuture(
          new IllegalStateException("a stored body was JSON when stored", e));
    }
  }
}
