package dev.medley.upstream.resilience;

import dev.medley.config.BreakerSpec;
import dev.medley.config.EjectionSpec;
import dev.medley.config.UpstreamSpec;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamResponse;
import io.github.resilience4j.core.IntervalFunction;
import io.vertx.core.AsyncResult;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instances of one upstream and how a call picks one: round-robin or least-request, skipping
 * instances whose breaker is open (ejected). Ejection periods grow exponentially on repeats, up to
 * a cap, and at most {@code maxPercent} of the instances are ever skipped: past that, the most
 * recently ejected instances take calls again, so a partial outage never becomes a total one. An
 * upstream with one instance has no instance breaker; its upstream breaker covers it.
 */
public final class InstanceSet {
  /** One configured instance. {@code label} ({@code host:port}) names it in events. */
  public record Instance(String host, int port, boolean ssl, String basePath, String label) {
    static Instance parse(String url) {
      URI uri = URI.create(url);
      boolean ssl = "https".equals(uri.getScheme());
      int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
      String p = uri.getRawPath() == null ? "" : uri.getRawPath();
      return new Instance(
          uri.getHost(),
          port,
          ssl,
          p.endsWith("/") ? p.substring(0, p.length() - 1) : p,
          uri.getHost() + ":" + port);
    }
  }

  /** The instance chosen for one call. {@link #done} must be called once when the call ends. */
  public final class Pick {
    private final Member member;
    private final boolean permitted;
    private final boolean counted;

    private Pick(Member member, boolean permitted) {
      this(member, permitted, true);
    }

    /**
     * @param counted whether the call counts in the instance's calls in flight (only least-request
     *     choice among several instances reads them)
     */
    private Pick(Member member, boolean permitted, boolean counted) {
      this.member = member;
      this.permitted = permitted;
      this.counted = counted;
      if (counted) {
        member.active.incrementAndGet();
      }
    }

    public Instance instance() {
      return member.instance;
    }

    /**
     * Records the call's outcome on the instance's breaker (unless it was forced past ejection).
     */
    public void done(AsyncResult<UpstreamResponse> ar, long durationNanos) {
      done(ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause() : null, durationNanos);
    }

    /** As {@link #done(AsyncResult, long)}, for a call that answered or failed with a cause. */
    public void done(UpstreamResponse response, Throwable failure, long durationNanos) {
      if (counted) {
        member.active.decrementAndGet();
      }
      if (member.breaker != null && permitted) {
        member.breaker.record(Verdict.of(response, failure), durationNanos);
      }
    }
  }

  private static final class Member {
    final Instance instance;
    final Breaker breaker;
    final AtomicInteger active = new AtomicInteger();

    Member(Instance instance, Breaker breaker) {
      this.instance = instance;
      this.breaker = breaker;
    }
  }

  private final Member[] members;
  private final boolean leastRequest;
  private final int maxEjected;
  private final AtomicInteger next = new AtomicInteger();
  private final Pick only; // the one instance's pick, or null when there are several

  InstanceSet(UpstreamSpec spec, Clock clock, ResilienceListener events) {
    List<String> urls = spec.urls();
    this.members = new Member[urls.size()];
    BreakerSpec breaker = spec.breaker();
    EjectionSpec ej = spec.ejection();
    for (int i = 0; i < members.length; i++) {
      Instance inst = Instance.parse(urls.get(i));
      Breaker b =
          urls.size() > 1 && breaker != null
              ? new Breaker(
                  spec.name(),
                  inst.label(),
                  breaker,
                  IntervalFunction.ofExponentialBackoff(ej.time(), 2.0, ej.maxTime()),
                  clock,
                  events)
              : null;
      members[i] = new Member(inst, b);
    }
    this.leastRequest = spec.balance() == UpstreamSpec.Balance.LEAST_REQUEST;
    // One instance: nothing to choose, no instance breaker, no calls in flight to weigh, so every
    // call takes this one pick and writes no counter the event loops would share.
    this.only = members.length == 1 ? new Pick(members[0], true, false) : null;
    this.maxEjected = (int) Math.floor(members.length * ej.maxPercent() + 1e-9);
  }

  /** Builds the instance set of {@code spec}. */
  public static InstanceSet of(UpstreamSpec spec, Clock clock, ResilienceListener events) {
    return new InstanceSet(spec, clock, events);
  }

  public int size() {
    return members.length;
  }

  /**
   * Picks an instance for one call, or null when every instance refuses (within the ejection cap).
   */
  public Pick pick() {
    if (only != null) {
      return only;
    }
    int n = members.length;
    int start = Math.floorMod(next.getAndIncrement(), n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (start + i) % n;
    }
    if (leastRequest) {
      sortByActive(order);
    }
    if (members[0].breaker == null) {
      return new Pick(members[order[0]], true); // breaker: off, so no ejection either
    }
    boolean[] reinstated = reinstated();
    for (int i : order) {
      if (members[i].breaker.tryAcquire()) {
        return new Pick(members[i], true);
      }
      if (reinstated[i]) {
        return new Pick(members[i], false);
      }
    }
    return null;
  }

  /** Insertion sort by calls in flight; stable, so ties keep the round-robin order. */
  private void sortByActive(int[] order) {
    int[] load = new int[members.length];
    for (int i = 0; i < members.length; i++) {
      load[i] = members[i].active.get();
    }
    for (int i = 1; i < order.length; i++) {
      int v = order[i];
      int j = i - 1;
      while (j >= 0 && load[order[j]] > load[v]) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  }

  /**
   * Open instances beyond the {@code maxPercent} cap: all but the {@code maxEjected} that were
   * ejected first. They serve anyway, without feeding their breaker (they are in rotation only to
   * keep capacity), until their own open period ends and they probe like any other.
   */
  private boolean[] reinstated() {
    boolean[] out = new boolean[members.length];
    int open = 0;
    for (int i = 0; i < members.length; i++) {
      if (members[i].breaker.state() == BreakerState.OPEN) {
        out[i] = true;
        open++;
      }
    }
    for (int k = 0; k < Math.min(open, maxEjected); k++) {
      int earliest = -1;
      for (int i = 0; i < members.length; i++) {
        if (out[i]
            && (earliest < 0
                || members[i].breaker.openedAtNanos()
                    < members[earliest].breaker.openedAtNanos())) {
          earliest = i;
        }
      }
      out[earliest] = false; // stays ejected
    }
    return out;
  }

  /** The shortest time until an instance's ejection ends, for Retry-After. */
  public java.time.Duration retryAfter() {
    java.time.Duration min = null;
    for (Member m : members) {
      if (m.breaker != null && m.breaker.state() == BreakerState.OPEN) {
        java.time.Duration d = m.breaker.retryAfter();
        min = min == null || d.compareTo(min) < 0 ? d : min;
      }
    }
    return min == null ? java.time.Duration.ofSeconds(1) : min;
  }
}
