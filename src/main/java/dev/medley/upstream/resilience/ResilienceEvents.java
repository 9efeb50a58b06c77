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

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, BreakerState> states = new ConcurrentHashMap<>();
  private final List<ResilienceListener> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener that receives every later event. */
  public void subscribe(ResilienceListener listener) {
    listeners.add(listener);
  }

  /** Times the breaker of {@code upstream} (instance null) or of one instance entered {@code to}. */
  public long transitionCount(String upstream, String instance, BreakerState to) {
    return count("transition", upstream, instance, to.name());
  }

  /** The last reported state of a breaker; CLOSED when it never changed. */
  public BreakerState state(String upstream, String instance) {
    return states.getOrDefault(key("state", upstream, instance), BreakerState.CLOSED);
  }

  /** Calls to {@code upstream} refused without being sent, for {@code why}. */
  public long rejectionCount(String upstream, Rejection why) {
    return count("rejected", upstream, why.name());
  }

  /** Retries sent to {@code upstream}. */
  public long retryCount(String upstream) {
    return count("retried", upstream);
  }

  /** Retries to {@code upstream} skipped because its budget was spent. */
  public long budgetExhaustedCount(String upstream) {
    return count("budget", upstream);
  }

  @Override
  public void breakerTransition(String upstream, String instance, BreakerState from, BreakerState to) {
    add("transition", upstream, instance, to.name());
    states.put(key("state", upstream, instance), to);
    LOG.log(to == BreakerState.OPEN ? Level.WARNING : Level.INFO, "circuit breaker of upstream ''{0}''{1}: {2} -> {3}",
        upstream, instance == null ? "" : " instance " + instance, from, to);
    listeners.forEach(l -> l.breakerTransition(upstream, instance, from, to));
  }

  @Override
  public void rejected(String upstream, Rejection why) {
    add("rejected", upstream, why.name());
    listeners.forEach(l -> l.rejected(upstream, why));
  }

  @Override
  public void retried(String upstream) {
    add("retried", upstream);
    listeners.forEach(l -> l.retried(upstream));
  }

  @Override
  public void retryBudgetExhausted(String upstream) {
    add("budget", upstream);
    listeners.forEach(l -> l.retryBudgetExhausted(upstream));
  }

  private void add(String... parts) {
    counts.computeIfAbsent(key(parts), k -> new LongAdder()).increment();
  }

  private long count(String... parts) {
    LongAdder a = counts.get(key(parts));
    return a == null ? 0 : a.sum();
  }

  private static String key(String... parts) {
    return String.join("\u0000", java.util.Arrays.stream(parts).map(p -> p == null ? "" : p).toList());
  }
}
