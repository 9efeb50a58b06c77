package dev.medley.observe.internal;

import dev.medley.observe.TelemetryNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Event-loop health: a gauge of each loop's queued tasks, and once a second a probe task posted to
 * every loop whose wait before running is recorded as lag. The probe runs on real time (a Vert.x
 * periodic timer and {@link System#nanoTime()}), not on the injected clock: it measures the real
 * loop, which a test clock would hide, and a test clock must not keep a timer pending forever.
 */
final class EventLoopProbe {
  private static final long PERIOD_MS = 1_000;

  private final Vertx vertx;
  private final List<EventExecutor> loops = new ArrayList<>();
  private final Timer lag;
  private long timerId = -1;

  EventLoopProbe(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    int i = 0;
    for (EventExecutor e : ((VertxInternal) vertx).eventLoopGroup()) {
      loops.add(e);
      if (e instanceof SingleThreadEventExecutor s) {
        Gauge.builder(TelemetryNames.EVENT_LOOP_PENDING, s, SingleThreadEventExecutor::pendingTasks)
            .description("Tasks queued on the event loop")
            .tag(TelemetryNames.L_LOOP, Integer.toString(i))
            .register(registry);
      }
      i++;
    }
    this.lag =
        Timer.builder(TelemetryNames.EVENT_LOOP_LAG)
            .description("Wait of a probe task posted to an event loop before it ran")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  void start() {
    timerId = vertx.setPeriodic(PERIOD_MS, id -> probe());
  }

  private void probe() {
    for (EventExecutor loop : loops) {
      long posted = System.nanoTime();
      loop.execute(() -> lag.record(System.nanoTime() - posted, TimeUnit.NANOSECONDS));
    }
  }

  void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}
