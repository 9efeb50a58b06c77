package dev.medley.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.UpstreamSpec;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamResponse;
import dev.medley.upstream.resilience.BreakerState;
import dev.medley.upstream.resilience.ResilienceListener;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live upstream health for {@code GET /admin/upstreams}: per upstream, a {@link MinuteWindow} fed
 * by an attempt policy (error rate, p50 and p99 over the last minute), and breaker states learnt
 * from resilience events (the upstream's breaker, and each instance's: an instance whose breaker is
 * open is ejected). Outlives config reloads, like the event hub it listens to.
 */
public final class UpstreamHealth implements ResilienceListener {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final Clock clock;
  private final Map<String, MinuteWindow> windows = new ConcurrentHashMap<>();
  private final Map<String, BreakerState> breakers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, BreakerState>> instances = new ConcurrentHashMap<>();

  public UpstreamHealth(Clock clock) {
    this.clock = clock;
  }

  /**
   * The policy to put innermost on {@code upstream}'s chain: times every attempt; an error is a
   * failure to get an answer (connect, reset, timeout, refused by a local policy) or a 5xx.
   */
  public UpstreamPolicy attempts(String upstream) {
    MinuteWindow w = windows.computeIfAbsent(upstream, u -> new MinuteWindow());
    return (req, next) -> {
      long start = clock.nanoTime();
      Future<UpstreamResponse> f;
      try {
        f = next.call(req);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      // A listener on the attempt's own future (a two-argument Completable, which Vert.x keeps as
      // it is), not andThen: no extra future and wrapper per attempt.
      return f.onComplete(
          (response, failure) -> {
            long end = clock.nanoTime();
            w.record(end, end - start, failure != null || response.status() >= 500);
          });
    };
  }

  @Override
  public void breakerTransition(
      String upstream, String instance, BreakerState from, BreakerState to) {
    if (instance == null) {
      breakers.put(upstream, to);
    } else {
      instances.computeIfAbsent(upstream, u -> new ConcurrentHashMap<>()).put(instance, to);
    }
  }

  /** One entry per configured upstream, by name. */
  public ArrayNode render(Collection<UpstreamSpec> upstreams) {
    long now = clock.nanoTime();
    ArrayNode out = JSON.arrayNode();
    upstreams.stream()
        .map(UpstreamSpec::name)
        .sorted()
        .forEach(
            name -> {
              MinuteWindow w = windows.get(name);
              MinuteWindow.Summary s =
                  w == null
                      ? new MinuteWindow.Summary(0, 0, Double.NaN, Double.NaN)
                      : w.summary(now);
              ObjectNode o = out.addObject();
              o.put("name", name);
              o.put("breaker", label(breakers.getOrDefault(name, BreakerState.CLOSED)));
              o.put("attempts", s.attempts());
              o.put("errors", s.errors());
              o.put("errorRate", Math.round(s.errorRate() * 10_000) / 10_000.0);
              putMs(o, "p50Ms", s.p50Ms());
              putMs(o, "p99Ms", s.p99Ms());
              ArrayNode insts = o.putArray("instances");
              ArrayNode ejected = o.putArray("ejected");
              new TreeMap<>(instances.getOrDefault(name, Map.of()))
                  .forEach(
                      (instance, state) -> {
                        insts.addObject().put("instance", instance).put("breaker", label(state));
                        if (state == BreakerState.OPEN) {
                          ejected.add(instance);
                        }
                      });
            });
    return out;
  }

  private static void putMs(ObjectNode o, String key, double ms) {
    if (Double.isNaN(ms)) {
      o.putNull(key);
    } else {
      o.put(key, ms);
    }
  }

  private static String label(BreakerState s) {
    return s.name().toLowerCase(java.util.Locale.ROOT);
  }
}
