package dev.medley.time;

import java.time.Duration;

/**
 * The one source of time for deadlines, timeouts, breakers, rate limits and caches. Production uses
 * {@link VertxClock}; tests use {@link ManualClock} and move time instead of sleeping.
 */
public interface Clock {
  /** Monotonic nanoseconds, only meaningful as differences. */
  long nanoTime();

  /** Wall-clock milliseconds since the epoch, for timestamps and token expiry. */
  long epochMillis();

  /**
   * Runs {@code task} once after {@code delay}, on the Vert.x context that scheduled it when there
   * is one. Returns a handle whose {@link Cancellable#cancel()} stops it if it has not run.
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be stopped. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
