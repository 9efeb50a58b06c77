package dev.medley.time;

import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * System time with timers that fire on the scheduling context's event loop. On an event loop (every
 * request's timers: one deadline per page, one timeout per upstream attempt) a timer is a task in
 * that loop's own Netty schedule, run inside the context; Vert.x timers, which also register every
 * timer in a map shared by all loops, serve the rest.
 */
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
    if (Vertx.currentContext() instanceof ContextInternal ctx
        && ctx.isEventLoopContext()
        && ctx.nettyEventLoop().inEventLoop()) {
      ScheduledFuture<?> f =
          ctx.nettyEventLoop().schedule(() -> ctx.emit(v -> task.run()), ms, TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    }
    long id = vertx.setTimer(ms, ignored -> task.run());
    return () -> vertx.cancelTimer(id);
  }
}
