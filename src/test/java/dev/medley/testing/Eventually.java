package dev.medley.testing;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition on gateway state that has no event of its own (a counter reaching a value):
 * a Vert.x timer checks it every millisecond and completes a future the test awaits. The test
 * thread never sleeps; the wait is bounded.
 */
public final class Eventually {
  private Eventually() {}

  public static void await(Vertx vertx, String what, BooleanSupplier condition) {
    await(vertx, what, condition, () -> "");
  }

  /**
   * As {@link #await(Vertx, String, BooleanSupplier)}; {@code state} describes what was seen
   * instead.
   */
  public static void await(
      Vertx vertx,
      String what,
      BooleanSupplier condition,
      java.util.function.Supplier<String> state) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    // Completes first and leaves cancelling to this thread: on a busy loop the first tick can run
    // before Vert.x has recorded the timer, and cancelling it from inside then fails.
    long timer =
        vertx.setPeriodic(
            1,
            id -> {
              if (!done.isDone() && condition.getAsBoolean()) {
                done.complete(null);
              }
            });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not within 10s: " + what + " " + state.get(), e);
    } finally {
      vertx.cancelTimer(timer);
    }
  }
}
