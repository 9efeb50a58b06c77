package dev.medley.cli;

import dev.medley.gateway.Gateway;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;

/** Keeps the process alive until SIGTERM/SIGINT, then closes the gateway before exiting. */
final class Lifecycle {
  private Lifecycle() {}

  static void awaitShutdown(Vertx vertx, Gateway gateway) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gateway.close().eventually(vertx::close).await();
      } catch (Exception ignored) {
        // Exiting anyway; nothing useful to report on a closing process.
      } finally {
        stopped.countDown();
      }
    }, "medley-shutdown"));
    stopped.await();
  }
}
