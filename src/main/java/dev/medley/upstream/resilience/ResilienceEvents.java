package dev.medley.upstream.resilience;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's resilience event hub: logs breaker state changes, counts every event, and forwards
 * events to subscribed listeners (metrics, tests). One per gateway; it outlives config reloads, so
 * counts keep growing across plan swaps. Thread-safe.
 */
public final class ResilienceEvents implements ResilienceListener {
  private static final System.Logger LOG = System.getLogger("dev.medley.upstream.resilience");

  /** What one counter counts; {@code detail} is a state or rejection name, or null. */
  private record Key(String kind, String upstream, String instance, String detail) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<Key, BreakerState> states = new ConcurrentHashMap<>();
  private final List<ResilienceListener> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener that receives every later event. */
  public void subscribe(ResilienceListener listener) {
    listeners.add(listener);
  }

  /**
   * Times the breaker of {@code upstream} (instance null) or of one instance entered {@code to}.
   */
  public long transitionCount(String upstream, String instance, BreakerState to) {
    return count(new Key("transition", upstream, instance, to.name()));
  }

  /** The last reported state of a breaker; CLOSED when it never changed. */
  public BreakerState state(String upstream, String instance) {
    return states.getOrDefault(new Key("state", upstream, instance, null), BreakerState.CLOSED);
  }

  /** Calls to {@code upstream} refused without being sent, for {@code why}. */
  public long rejectionCount(String upstream, Rejection why) {
    return count(new Key("rejected", upstream, null, why.name()));
  }

  /** Retries sent to {@code upstream}. */
  public long retryCount(String upstream) {
    return count(new Key("retried", upstream, null, null));
  }

  /** Retries to {@code upstream} skipped because its budget was spent. */
  public long budgetExhaustedCount(String upstream) {
    return count(new Key("budget", upstream, null, null));
  }

  @Override
  public void breakerTransition(
      String upstream, String instance, BreakerState from, BreakerState to) {
    add(new Key("transition", upstream, instance, to.name()));
    states.put(new Key("state", upstream, instance, null), to);
    LOG.log(
        to == BreakerState.OPEN ? Level.WARNING : Level.INFO,
        "circuit breaker of upstream ''{0}''{1}: {2} -> {3}",
        upstream,
        instance == null ? "" : " instance " + instance,
        from,
        to);
    listeners.forEach(l -> l.breakerTransition(upstream, instance, from, to));
  }

  @Override
  public void rejected(String upstream, Rejection why) {
    add(new Key("rejected", upstream, null, why.name()));
    listeners.forEach(l -> l.rejected(upstream, why));
  }

  @Override
  public void retried(String upstream) {
    add(new Key("retried", upstream, null, null));
    listeners.forEach(l -> l.retried(upstream));
  }

  @Override
  public void retryBudgetExhausted(String upstream) {
    add(new Key("budget", upstream, null, null));
    listeners.forEach(l -> l.retryBudgetExhausted(upstream));
  }

  /** Hedges of calls to {@code upstream} that ended in {@code outcome} (sent, won, refused). */
  public long hedgeCount(String upstream, String outcome) {
    return count(new Key("hedge", upstream, null, outcome));
  }

  @Override
  public void hedge(String upstream, String outcome) {
    add(new Key("hedge", upstream, null, outcome));
    listeners.forEach(l -> l.hedge(upstream, outcome));
  }

  private void add(Key k) {
    counts.computeIfAbsent(k, x -> new LongAdder()).increment();
  }

  private long count(Key k) {
    LongAdder a = counts.get(k);
    return a == null ? 0 : a.sum();
  }
}
