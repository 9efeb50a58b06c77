package dev.medley.cache;

import dev.medley.edge.EdgeRequest;
import dev.medley.edge.EncodedVariants;
import dev.medley.edge.Reply;
import dev.medley.edge.RouteHandler;
import dev.medley.edge.RouteRunner;
import dev.medley.edge.StateSource;
import dev.medley.plan.CachePlan;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The response cache, for GET routes with {@code cache:}: a decorator of the route runner, so it
 * sees the bound scope (tags are rendered from it once the route ran) and whether the answer
 * degraded, and it stores the encoded reply. Freshness is the shared {@link Freshness} model: a
 * fresh entry answers at once ({@code X-Cache: HIT}); otherwise one fill per key runs the route
 * while identical requests wait for it ({@code MISS}); a stale entry within {@code
 * staleWhileRevalidate} answers at once while one background fill runs; within {@code staleIfError}
 * it stands in for a fill that failed, marked partial ({@code STALE}).
 *
 * <p>A hit answers with the entry's body buffer as is (no copy) and offers the compression filter
 * the entry's {@link EncodedForms}, so each encoding of a stored body is made once.
 *
 * <p>Only a complete 200 is stored: never one with {@code Set-Cookie}, never a degraded one, and
 * only its body and content type, so nothing request-specific is replayed to someone else.
 */
final class ResponseCache implements RouteRunner.Decorator {
  static final String X_CACHE = "X-Cache";
  private static final byte[] PARTIAL_MEMBER =
      "\"_partial\":true".getBytes(StandardCharsets.US_ASCII);

  private final CacheStore store;
  private final Clock clock;
  private final CacheCounters counters;
  private final Freshness<RouteRunner.Answer> freshness;

  ResponseCache(CacheStore store, Clock clock, CacheCounters counters) {
    this.store = store;
    this.clock = clock;
    this.counters = counters;
    this.freshness =
        new Freshness<>(
            store,
            clock,
            counters::response,
            counters.responseJoined::increment,
            a -> a.reply().status() >= 500);
  }

  @Override
  public Future<RouteRunner.Answer> apply(EdgeRequest req, Scope scope, RouteRunner next) {
    RoutePlan route = req.route();
    CachePlan rule = route.cache();
    // HEAD is answered as GET without the body, so it shares GET's entries.
    if (rule == null || !("GET".equals(req.method()) || "HEAD".equals(req.method()))) {
      return next.run(req, scope);
    }
    String key = CacheKeys.response(req, route, rule, req.generation().plan().version());
    return freshness
        .lookup(
            key, (generation, started) -> fill(key, req, scope, next, rule, generation, started))
        .map(
            a -> {
              if (a.entry() != null && a.entry().source() != null) {
                req.attr(StateSource.CACHE, a.entry().source());
              }
              return a;
            })
        .map(
            a ->
                switch (a.served()) {
                  case FRESH -> hit(req, key, a.entry(), "HIT");
                  case REVALIDATING -> hit(req, key, a.entry(), "STALE");
                  case ON_ERROR -> new RouteRunner.Answer(staleOnError(a.entry()), true);
                  // Every waiter writes its own copy: headers are per response.
                  case FILLED -> a.leader() ? a.value() : copy(a.value());
                });
  }

  /**
   * Fills a cold key: when another replica is already filling it (a shared store), waits for its
   * entry, leaving half the route's deadline for a fill of our own; otherwise runs the route here.
   */
  private Future<RouteRunner.Answer> fill(
      String key,
      EdgeRequest req,
      Scope scope,
      RouteRunner next,
      CachePlan rule,
      long generation,
      long started) {
    long waitUntil = started + req.route().deadline().toNanos() / 2;
    return store
        .awaitOtherFill(key, waitUntil)
        .compose(
            other -> {
              if (other == null) {
                return fillHere(key, req, scope, next, rule, generation, started);
              }
              req.attr(StateSource.CACHE, StateSource.REDIS);
              return Future.succeededFuture(hit(req, key, other, "HIT"));
            });
  }

  /** Runs the route and stores its answer when it may be stored. */
  private Future<RouteRunner.Answer> fillHere(
      String key,
      EdgeRequest req,
      Scope scope,
      RouteRunner next,
      CachePlan rule,
      long generation,
      long started) {
    return next.run(req, scope)
        .compose(
            a -> {
              Reply r = a.reply();
              r.headers().set(X_CACHE, "MISS");
              if (!storable(a)) {
                return Future.succeededFuture(a);
              }
              List<String> tags =
                  rule.tags(scope); // null when one could not be rendered: not stored
              if (tags == null) {
                return Future.succeededFuture(a);
              }
              List<String> all = new ArrayList<>(tags.size() + 1);
              all.addAll(tags);
              all.add(CacheKeys.responseKeyTag(req));
              byte[] body = r.body().getBytes();
              String etag = Etags.of(body);
              r.headers().set("etag", etag);
              CacheEntry e =
                  CacheEntry.filled(
                      body,
                      r.headers().get("content-type"),
                      etag,
                      List.copyOf(all),
                      generation,
                      started,
                      rule.ttl(),
                      rule.staleWhileRevalidate(),
                      rule.staleIfError());
              // The leader answers with the entry's own buffer, so its compression is kept too.
              Reply stored = new Reply(r.status(), r.headers(), e.forms().identity());
              req.attr(EncodedVariants.ATTR, new Variants(key, e));
              return store.put(key, e).map(new RouteRunner.Answer(stored, a.degraded()));
            });
  }

  private static boolean storable(RouteRunner.Answer a) {
    Reply r = a.reply();
    return r.status() == 200
        && r.body() != null
        && !a.degraded()
        && !r.headers().contains("set-cookie");
  }

  private static RouteRunner.Answer copy(RouteRunner.Answer a) {
    Reply r = a.reply();
    return new RouteRunner.Answer(
        new Reply(
            r.status(),
            MultiMap.caseInsensitiveMultiMap().addAll(r.headers()),
            r.body() == null ? null : r.body().copy()),
        a.degraded());
  }

  /**
   * A stored answer, with its body's compressed variants offered to the compression filter, which
   * then compresses it once per encoding for this entry rather than once per hit.
   */
  private RouteRunner.Answer hit(EdgeRequest req, String key, CacheEntry e, String state) {
    req.attr(EncodedVariants.ATTR, new Variants(key, e));
    return new RouteRunner.Answer(
        fromEntry(e, e.forms().identity(), state, clock.nanoTime()), false);
  }

  private static Reply fromEntry(CacheEntry e, Buffer body, String state, long now) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (e.contentType() != null) {
      h.set("content-type", e.contentType());
    }
    h.set("etag", e.etag());
    h.set(X_CACHE, state);
    h.set("age", Long.toString(e.ageSeconds(now)));
    return new Reply(200, h, body);
  }

  /**
   * The stale body, marked partial as any degraded answer is: {@code "_partial":true} is added as
   * the last member of the stored JSON object without parsing it again (a stored answer is never
   * degraded, so it has no such member yet). Its ETag is left to be recomputed.
   */
  private Reply staleOnError(CacheEntry e) {
    Reply r = fromEntry(e, EncodedForms.wrap(withPartial(e.body())), "STALE", clock.nanoTime());
    r.headers().remove("etag");
    r.headers().set(RouteHandler.PARTIAL_HEADER, "stale");
    return r;
  }

  /**
   * {@code body} with {@code "_partial":true} as its last member when it is a JSON object; else as
   * is.
   */
  static byte[] withPartial(byte[] body) {
    int first = 0;
    while (first < body.length && isSpace(body[first])) {
      first++;
    }
    int last = body.length - 1;
    while (last > first && isSpace(body[last])) {
      last--;
    }
    if (first >= last || body[first] != '{' || body[last] != '}') {
      return body; // only objects are composed; anything else is served as stored, the header still
      // says stale
    }
    int inner = last - 1;
    while (inner > first && isSpace(body[inner])) {
      inner--;
    }
    boolean empty = inner == first;
    byte[] out = new byte[last + (empty ? 0 : 1) + PARTIAL_MEMBER.length + 1];
    System.arraycopy(body, 0, out, 0, last);
    int at = last;
    if (!empty) {
      out[at++] = ',';
    }
    System.arraycopy(PARTIAL_MEMBER, 0, out, at, PARTIAL_MEMBER.length);
    out[at + PARTIAL_MEMBER.length] = '}';
    return out;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** The variants of one entry's body, as the compression filter sees them for one answer. */
  private final class Variants implements EncodedVariants {
    private final String key;
    private final CacheEntry entry;

    Variants(String key, CacheEntry entry) {
      this.key = key;
      this.entry = entry;
    }

    @Override
    public Buffer identity() {
      return entry.forms().identity();
    }

    @Override
    public Buffer get(String encoding) {
      return entry.forms().get(encoding);
    }

    @Override
    public void put(String encoding, Buffer encoded) {
      if (entry.forms().put(encoding, encoded)) {
        store.reweigh(key, entry);
      }
    }
  }
}
