package dev.medley.state.redis;

import dev.medley.time.Clock;
import java.util.function.Consumer;

/**
 * Guards every call to Redis: after {@code failures} consecutive failed calls it opens and refuses
 * calls at once for {@code openNanos}; then one call probes, and its outcome closes or reopens it.
 * While open, callers use their fallback without waiting for a timeout each. Time comes from the
 * injected clock, so tests move it.
 */
final class RedisBreaker {
  /** Where the breaker stands. */
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final Clock clock;
  private final int failures;
  private final long openNanos;
  private final Consumer<Boolean> onChange;
  private State state = State.CLOSED;
  private int consecutive;
  private long openUntil;
  private boolean probing;

  /**
   * {@code onChange} hears {@code true} when sharing resumes and {@code false} when the breaker
   * opens.
   */
  RedisBreaker(Clock clock, int failures, long openNanos, Consumer<Boolean> onChange) {
    this.clock = clock;
    this.failures = failures;
    this.openNanos = openNanos;
    this.onChange = onChange;
  }

  /** True when a call may go to Redis now; an open breaker past its wait lets one probe through. */
  synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.nanoTime() - openUntil < 0) {
          return false;
        }
        state = State.HALF_OPEN;
        probing = true;
        return true;
      default:
        if (probing) {
          return false;
        }
        probing = true;
        return true;
    }
  }

  /** True while calls reach Redis (closed): the shared mode. */
  synchronized boolean closed() {
    return state == State.CLOSED;
  }

  void success() {
    boolean resumed;
    synchronized (this) {
      consecutive = 0;
      probing = false;
      resumed = state != State.CLOSED;
      state = State.CLOSED;
    }
    if (resumed) {
      onChange.accept(true);
    }
  }

  void failure() {
    boolean opened;
    synchronized (this) {
      probing = false;
      consecutive++;
      opened = state == State.CLOSED && consecutive >= failures;
      if (state == State.HALF_OPEN || opened) {
        state = State.OPEN;
        openUntil = clock.nanoTime() + openNanos;
      }
    }
    if (opened) {
      onChange.accept(false);
    }
  }
}
