package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.IntFunction;

/**
 * Runs {@code n} asynchronous tasks with at most {@code limit} in flight, keeping results in task
 * order. The first failure fails the whole and starts nothing more.
 */
final class Bounded {
  private final int n;
  private final IntFunction<Future<JsonNode>> task;
  private final JsonNode[] results;
  private final Promise<JsonNode[]> done = Promise.promise();
  private int next;
  private int finished;

  private Bounded(int n, IntFunction<Future<JsonNode>> task) {
    this.n = n;
    this.task = task;
    this.results = new JsonNode[n];
  }

  static Future<JsonNode[]> run(int n, int limit, IntFunction<Future<JsonNode>> task) {
    Bounded b = new Bounded(n, task);
    if (n == 0) {
      return Future.succeededFuture(b.results);
    }
    for (int i = 0; i < Math.min(n, limit); i++) {
      b.startNext();
    }
    return b.done.future();
  }

  private void startNext() {
    if (next >= n || done.future().isComplete()) {
      return;
    }
    int i = next++;
    Future<JsonNode> f;
    try {
      f = task.apply(i);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(
        ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
            return;
          }
          results[i] = ar.result();
          if (++finished == n) {
            done.tryComplete(results);
          } else {
            startNext();
          }
        });
  }
}
