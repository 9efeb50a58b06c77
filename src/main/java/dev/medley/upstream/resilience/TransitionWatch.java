package dev.medley.upstream.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Sees every state change of a Resilience4j circuit breaker without an event consumer. Resilience4j
 * checks one flag, "has any consumer", before it publishes any event: with the usual
 * state-transition consumer registered it makes an event object (with a timestamp) for every call
 * it records, successes included, only for us to ignore it. Instead this watch reads the breaker's
 * state reference, which Resilience4j replaces with a new state object on every transition, and
 * {@link Breaker} observes it around its calls:
 *
 * <ul>
 *   <li>acquiring a permission or recording an outcome while the breaker was closed at the last
 *       observation and is still that same state object ({@link #quiet}) runs without a lock and
 *       checks afterwards ({@link #after}): the common case, a closed breaker, costs two reads;
 *   <li>every other call runs under the watch's lock between two {@link #observe observations}.
 * </ul>
 *
 * Each call makes at most one transition. Outside the lock only two can be made: closed to open (a
 * record that crossed a threshold; Resilience4j lets one closed state open once) and open to
 * half-open (an acquire that met the breaker opened meanwhile, after its wait). Neither can be
 * followed by another transition before it is observed: once the state object changed, no call is
 * quiet any more, so the next acquire or record observes under the lock before it acts, and the
 * call that made the change observes right after it. So each transition is reported exactly once,
 * in order, as Resilience4j's events would report it.
 *
 * <p>It reads a private field of {@code CircuitBreakerStateMachine}; where a Resilience4j version
 * lacks it, {@link #of} answers null and {@link Breaker} registers the event consumer instead.
 */
final class TransitionWatch {
  private static final Field STATE_REFERENCE;
  private static final Method STATE_OF;

  static {
    Field field = null;
    Method state = null;
    try {
      String machine = "io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine";
      field = Class.forName(machine).getDeclaredField("stateReference");
      field.setAccessible(true);
      state = Class.forName(machine + "$CircuitBreakerState").getDeclaredMethod("getState");
      state.setAccessible(true);
      if (field.getType() != AtomicReference.class) {
        field = null;
      }
    } catch (ReflectiveOperationException | RuntimeException unavailable) {
      field = null; // another Resilience4j: the event consumer is used instead
    }
    STATE_REFERENCE = field;
    STATE_OF = state;
  }

  private final AtomicReference<?> reference;
  private final BiConsumer<CircuitBreaker.State, CircuitBreaker.State> onChange;
  private volatile Object seen;
  private volatile CircuitBreaker.State seenState;

  private TransitionWatch(
      AtomicReference<?> reference,
      BiConsumer<CircuitBreaker.State, CircuitBreaker.State> onChange) {
    this.reference = reference;
    this.onChange = onChange;
    this.seen = reference.get();
    this.seenState = stateOf(seen);
  }

  /**
   * A watch reporting each transition of {@code cb} to {@code onChange} (from, to; never a state to
   * itself, as Resilience4j's events), or null when this Resilience4j cannot be watched this way.
   */
  static TransitionWatch of(
      CircuitBreaker cb, BiConsumer<CircuitBreaker.State, CircuitBreaker.State> onChange) {
    if (STATE_REFERENCE == null || !STATE_REFERENCE.getDeclaringClass().isInstance(cb)) {
      return null;
    }
    try {
      return new TransitionWatch((AtomicReference<?>) STATE_REFERENCE.get(cb), onChange);
    } catch (ReflectiveOperationException | RuntimeException refused) {
      return null;
    }
  }

  /**
   * The state object when a call may run without the lock (closed at the last observation, and
   * still the same object), else null.
   */
  Object quiet() {
    Object s = reference.get();
    return s == seen && seenState == CircuitBreaker.State.CLOSED ? s : null;
  }

  /** After a lock-free call that began in {@code quiet}: observes if it changed anything. */
  void after(Object quiet) {
    if (reference.get() != quiet) {
      observe();
    }
  }

  /** Reports what changed since the last observation. Callers of the breaker hold this lock. */
  synchronized void observe() {
    Object now = reference.get();
    if (now == seen) {
      return;
    }
    CircuitBreaker.State from = seenState;
    CircuitBreaker.State to = stateOf(now);
    seen = now;
    seenState = to;
    if (from != to) {
      onChange.accept(from, to);
    }
  }

  private static CircuitBreaker.State stateOf(Object state) {
    try {
      return (CircuitBreaker.State) STATE_OF.invoke(state);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("a breaker state that cannot say its state", e);
    }
  }
}
