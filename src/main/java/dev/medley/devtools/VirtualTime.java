package dev.medley.devtools;

import dev.medley.time.ManualClock;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives a manual clock while a request is answered: whenever the gateway has nothing left to do
 * but wait (its event loops are idle), time jumps to the next timer (an upstream's delay, a
 * timeout, a retry back-off, the deadline). Virtual seconds cost microseconds, and the order of
 * events is the order of their due times, as it would be in real time.
 */
final class VirtualTime {
  /**
   * Tasks queued in a row on an idle event loop before it counts as idle: a callback may queue
   * another.
   */
  private static final int ROUNDS = 3;

  private VirtualTime() {}

  static <T> T drive(
      ManualClock clock, FakeUpstreams fakes, CompletableFuture<T> answer, long limitNanos)
      throws Exception {
    long start = System.nanoTime();
    long quietSince = start;
    while (true) {
      try {
        return answer.get(2, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // not answered yet
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
      long now = System.nanoTime();
      if (now - start > limitNanos) {
        throw new TimeoutException(
            "no answer within " + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + "s of real time");
      }
      // Until the request has reached an upstream, give the network a moment before moving time.
      if (fakes.calls().isEmpty() && now - quietSince < TimeUnit.MILLISECONDS.toNanos(100)) {
        continue;
      }
      Set<Context> contexts = new HashSet<>(clock.pendingContexts());
      contexts.addAll(fakes.contexts());
      awaitIdle(contexts);
      Duration next = clock.nextDueIn();
      if (!answer.isDone() && next != null) {
        clock.advance(next);
        quietSince = System.nanoTime();
      }
    }
  }

  private static void awaitIdle(Set<Context> contexts) throws InterruptedException {
    for (int round = 0; round < ROUNDS; round++) {
      CountDownLatch done = new CountDownLatch(contexts.size());
      contexts.forEach(c -> c.runOnContext(v -> done.countDown()));
      if (!done.await(5, TimeUnit.SECONDS)) {
        return;
      }
    }
  }
}
