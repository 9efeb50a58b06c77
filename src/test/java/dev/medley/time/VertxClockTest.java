package dev.medley.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.testing.Harness;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The production clock's timers: on the scheduling context, cancellable, from any thread. Real
 * time, a few ms.
 */
class VertxClockTest {
  private final Vertx vertx = Harness.vertx(new VertxOptions());
  private final VertxClock clock = new VertxClock(vertx);

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void timerScheduledOnAnEventLoopRunsInsideTheSameContext() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    Promise<Context> fired = Promise.promise();
    Promise<Thread> scheduledOn = Promise.promise();
    ctx.runOnContext(
        v -> {
          scheduledOn.complete(Thread.currentThread());
          clock.schedule(Duration.ofMillis(5), () -> fired.complete(Vertx.currentContext()));
        });
    assertThat(fired.future().await(10, TimeUnit.SECONDS)).isSameAs(ctx);
    assertThat(scheduledOn.future().await(10, TimeUnit.SECONDS).getName())
        .startsWith("vert.x-eventloop");
  }

  @Test
  void cancelledTimerNeverRuns() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    AtomicBoolean cancelledRan = new AtomicBoolean();
    Promise<Boolean> later = Promise.promise();
    ctx.runOnContext(
        v -> {
          clock.schedule(Duration.ofMillis(20), () -> cancelledRan.set(true)).cancel();
          // Fires after the cancelled one would have: its verdict is final by then.
          clock.schedule(Duration.ofMillis(60), () -> later.complete(cancelledRan.get()));
        });
    assertThat(later.future().await(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void timerScheduledOffTheEventLoopsStillRuns() throws Exception {
    Promise<Void> fired = Promise.promise();
    clock.schedule(Duration.ofMillis(5), fired::complete);
    fired.future().await(10, TimeUnit.SECONDS);
    assertThat(fired.future().succeeded()).isTrue();
  }
}
