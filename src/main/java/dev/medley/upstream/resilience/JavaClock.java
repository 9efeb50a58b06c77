package dev.medley.upstream.resilience;

import dev.medley.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Our injected {@link Clock} seen as a {@link java.time.Clock}, so Resilience4j's open periods and
 * sliding windows move with it (a test's ManualClock included). Built on the monotonic {@link
 * Clock#nanoTime()}: Resilience4j only subtracts instants, and wall-clock jumps must not open or
 * close a breaker.
 */
final class JavaClock extends java.time.Clock {
  private final Clock clock;

  JavaClock(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public java.time.Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochSecond(0, clock.nanoTime());
  }

  @Override
  public long millis() {
    return Math.floorDiv(clock.nanoTime(), 1_000_000L);
  }
}
