package dev.medley.upstream.resilience;

import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * At most {@code maxConcurrent} calls in flight to one upstream, at most {@code maxQueue} more
 * waiting (first come, first served); beyond that a call is refused at once. A waiting call gives
 * up when its attempt time runs out, and the time it waited counts against that attempt. Shared by
 * every event loop: a call always resumes on the Vert.x context that made it.
 */
public final class BulkheadPolicy implements UpstreamPolicy {
  /** What a refused caller is told to wait: slots free up as fast as calls finish. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final String upstream;
  private final int maxConcurrent;
  private final int maxQueue;
  private final Clock clock;
  private final ResilienceListener events;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private int active;

  BulkheadPolicy(
      String upstream, int maxConcurrent, int maxQueue, Clock clock, ResilienceListener events) {
    this.upstream = upstream;
    this.maxConcurrent = maxConcurrent;
    this.maxQueue = maxQueue;
    this.clock = clock;
    this.events = events;
  }

  /** A call waiting for a slot. */
  private final class Waiter {
    final UpstreamRequest request;
    final UpstreamCall next;
    final Promise<UpstreamResponse> promise = Promise.promise();
    final Context context = Vertx.currentContext();
    final long since = clock.nanoTime();
    Clock.Cancellable timer;

    Waiter(UpstreamRequest request, UpstreamCall next) {
      this.request = request;
      this.next = next;
    }
  }

  @Override
  public Future<UpstreamResponse> apply(UpstreamRequest request, UpstreamCall next) {
    long now = clock.nanoTime();
    if (request.attemptNanos(now) <= 0) {
      return Future.failedFuture(expired(request, now, now));
    }
    Waiter w = null;
    boolean refused = false;
    synchronized (this) {
      if (active < maxConcurrent) {
        active++;
      } else if (queue.size() < maxQueue) {
        Waiter waiter = new Waiter(request, next);
        // Under the lock: a release on another event loop may take the waiter as soon as it is
        // queued.
        waiter.timer =
            clock.schedule(
                Duration.ofNanos(request.attemptNanos(waiter.since)), () -> giveUp(waiter));
        queue.add(waiter);
        w = waiter;
      } else {
        refused = true;
      }
    }
    if (refused) { // the listener is told outside the lock
      events.rejected(upstream, Rejection.BULKHEAD_FULL);
      return Future.failedFuture(
          UpstreamException.rejected(
              upstream, "upstream '" + upstream + "' is at its concurrency limit", RETRY_AFTER));
    }
    return w == null ? run(request, next) : w.promise.future();
  }

  private Future<UpstreamResponse> run(UpstreamRequest request, UpstreamCall next) {
    Future<UpstreamResponse> f;
    try {
      f = next.call(request);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    // A listener, not andThen: it runs before the caller's (listeners run in the order added)
    // without an extra future per call.
    return f.onComplete((response, failure) -> release()); // a Completable: no wrapper
  }

  /** A finished call hands its slot to the oldest waiter, on that waiter's context. */
  private void release() {
    Waiter w;
    synchronized (this) {
      w = queue.poll();
      if (w == null) {
        active--;
        return;
      }
    }
    w.timer.cancel();
    if (w.context == null) {
      resume(w);
    } else {
      w.context.runOnContext(v -> resume(w));
    }
  }

  private void resume(Waiter w) {
    long now = clock.nanoTime();
    long left = w.request.timeout().toNanos() - (now - w.since);
    if (w.request.attemptNanos(now) <= 0 || left <= 0) {
      w.promise.fail(expired(w.request, w.since, now));
      release();
      return;
    }
    run(w.request.withTimeout(Duration.ofNanos(left)), w.next).onComplete(w.promise);
  }

  private void giveUp(Waiter w) {
    synchronized (this) {
      if (!queue.remove(w)) {
        return; // it got a slot just now
      }
    }
    w.promise.fail(expired(w.request, w.since, clock.nanoTime()));
  }

  private UpstreamException expired(UpstreamRequest request, long since, long now) {
    UpstreamException.Kind kind =
        request.deadlineBinds(since)
            ? UpstreamException.Kind.DEADLINE
            : UpstreamException.Kind.TIMEOUT;
    return new UpstreamException(
        kind,
        upstream,
        "upstream '"
            + upstream
            + "' had no free slot within "
            + Duration.ofNanos(now - since).toMillis()
            + "ms");
  }

  /** Calls in flight now; for tests and the admin view. */
  public synchronized int active() {
    return active;
  }

  /** Calls waiting now; for tests and the admin view. */
  public synchronized int queued() {
    return queue.size();
  }
}
