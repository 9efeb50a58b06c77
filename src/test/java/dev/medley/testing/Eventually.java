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

  /** As {@link #await(Vertx, String, BooleanSupplier)}; {@code state} describes what was seen instead. */
  public static void await(Vertx vertx, String what, BooleanSupplier condition, java.util.function.Supplier<String> state) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long timer = vertx.setPeriodic(1, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.complete(null);
      }
    });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.cancelTimer(timer);
      throw new AssertionError("not within 10s: " + what + " " + state.get(), e);
    }
  }
}
