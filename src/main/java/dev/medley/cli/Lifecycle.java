package dev.medley.cli;

import dev.medley.gateway.Gateway;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Keeps the process alive until SIGTERM or SIGINT, then shuts the gateway down gracefully and
 * returns, so the process exits 0. Handling the signals (instead of relying on a shutdown hook) is
 * what makes the exit status 0: a JVM ended by SIGTERM exits 143 even when its hooks succeed. A
 * second signal during the grace period stops at once with status 130.
 */
final class Lifecycle {
  /** Time allowed beyond the grace period for closing clients and listeners. */
  private static final long CLOSE_MARGIN_MILLIS = 5_000;

  private Lifecycle() {}

  /** Serves until a stop signal; returns the exit status. */
  static int serveUntilStopped(Vertx vertx, Gateway gateway, PrintStream out)
      throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger signals = new AtomicInteger();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          s -> {
            if (signals.incrementAndGet() > 1) {
              Runtime.getRuntime().halt(130);
            }
            out.println("medley: SIG" + s.getName() + " received");
            stop.countDown();
          });
    }
    stop.await();
    long grace = gateway.plan().spec().server().shutdownGrace().toMillis();
    int inFlight = gateway.inFlight();
    var done = gateway.shutdown();
    out.println(
        "medley: stopping: no longer accepting connections; waiting up to "
            + grace
            + "ms for "
            + inFlight
            + " request(s) in flight");
    try {
      done.await(grace + CLOSE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
      vertx.close().await(CLOSE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      out.println("medley: shutdown did not finish cleanly: " + e.getMessage());
    }
    out.println("medley: stopped");
    return 0;
  }
}
