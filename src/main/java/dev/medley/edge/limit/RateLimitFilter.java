package dev.medley.edge.limit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Problem;
import dev.medley.edge.Reply;
import dev.medley.edge.StateSource;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a matched route's rate-limit tiers in order, stopping at the first that refuses: a 429
 * problem with {@code Retry-After}, {@code RateLimit-Policy} and {@code RateLimit}. Accepted
 * responses carry the same two headers with the remaining budget. Two instances run: one before
 * authentication (keys that need no claims, so token spraying is limited too) and one after.
 */
public final class RateLimitFilter implements EdgeFilter {
  private final List<Tier> list;
  private final RateLimitStore store;
  private final Clock clock;

  /** Told of every refusal (the gateway counts them per experience). */
  private final Runnable onRefused;

  /**
   * {@code tiers} are the tiers this instance applies, in order; at least one. {@code onRefused}
   * runs once per 429.
   */
  public RateLimitFilter(List<Tier> tiers, RateLimitStore store, Clock clock, Runnable onRefused) {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException(
          "tiers: [] (expected at least one tier; add no filter instead)");
    }
    this.list = List.copyOf(tiers);
    this.store = store;
    this.clock = clock;
    this.onRefused = onRefused;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    return take(req, list, 0, new ArrayList<>(list.size()))
        .compose(
            decisions -> {
              Decision last = decisions.get(decisions.size() - 1);
              if (last.source() != null) {
                req.attr(StateSource.RATE_LIMITS, last.source());
              }
              if (!last.allowed()) {
                onRefused.run();
                return Future.succeededFuture(refuse(req, list, decisions, last));
              }
              return next.handle(req)
                  .map(
                      reply -> {
                        headers(reply, list, decisions);
                        return reply;
                      });
            });
  }

  /** Asks tier {@code i} and the ones after it, stopping at the first refusal. */
  private Future<List<Decision>> take(EdgeRequest req, List<Tier> list, int i, List<Decision> out) {
    Tier t = list.get(i);
    return store
        .acquire(t.bucket(req), t.limit(), clock.nanoTime())
        .compose(
            d -> {
              out.add(d);
              if (!d.allowed() || i + 1 == list.size()) {
                return Future.succeededFuture(out);
              }
              return take(req, list, i + 1, out);
            });
  }

  private static Reply refuse(
      EdgeRequest req, List<Tier> list, List<Decision> decisions, Decision refused) {
    long retry = seconds(refused.retryAfterNanos());
    Tier tier = list.get(decisions.size() - 1);
    Reply r =
        Problem.reply(
            429,
            "rate-limited",
            "Too Many Requests",
            "rate limit '" + tier.name() + "' is exhausted; retry in " + retry + "s",
            req,
            JsonNodeFactory.instance
                .objectNode()
                .put("policy", tier.name())
                .put("retryAfter", retry));
    r.headers().set("retry-after", Long.toString(retry));
    headers(r, list, decisions);
    return r;
  }

  private static void headers(Reply r, List<Tier> list, List<Decision> decisions) {
    List<String> policies = new ArrayList<>(decisions.size());
    List<String> states = new ArrayList<>(decisions.size());
    for (int i = 0; i < decisions.size(); i++) {
      Tier t = list.get(i);
      Decision d = decisions.get(i);
      policies.add(t.policy());
      states.add("\"" + t.name() + "\";r=" + d.remaining() + ";t=" + seconds(d.resetNanos()));
    }
    r.headers().add("ratelimit-policy", String.join(", ", policies));
    r.headers().add("ratelimit", String.join(", ", states));
  }

  /** Whole seconds, rounded up: a client that waits this long is never refused for being early. */
  static long seconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
