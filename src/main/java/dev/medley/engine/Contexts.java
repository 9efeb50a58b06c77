package dev.medley.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Hands a shared outcome back to each waiter on its own Vert.x context. A request's state is only
 * touched by its own event loop; a call shared across requests may complete on another one. Each
 * waiter resumes as a task of its own, so a thousand waiters on one outcome never make one long
 * task.
 */
public final class Contexts {
  private Contexts() {}

  /** {@code shared}, completing on {@code ctx} (as is when {@code ctx} is null). */
  public static <T> Future<T> on(Context ctx, Future<T> shared) {
    if (ctx == null) {
      return shared;
    }
    Promise<T> p = Promise.promise();
    shared.onComplete(ar -> ctx.runOnContext(v -> p.handle(ar)));
    return p.future();
  }
}
