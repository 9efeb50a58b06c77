package dev.medley.time;

import io.vertx.core.Vertx;
import java.time.Duration;

/** System time with Vert.x timers, which fire on the scheduling context's event loop. */
public final class VertxClock implements Clock {
  private final Vertx vertx;

  public VertxClock(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long epochMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    long ms = Math.max(1, delay.toMillis());
    long id = vertx.setTimer(ms, ignored -> task.run());
    return () -> vertx.cancelTimer(id);
  }
}
