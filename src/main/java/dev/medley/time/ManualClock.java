package dev.medley.time;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told. Timers due within an {@link #advance(Duration)} run, in due
 * order, on the Vert.x context that scheduled them. For deterministic tests and benchmarks.
 */
public final class ManualClock implements Clock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final long epochOffsetMillis;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
  private long seq;

  public ManualClock() {
    this(1_800_000_000_000L);
  }

  public ManualClock(long epochMillisAtStart) {
    this.epochOffsetMillis = epochMillisAtStart;
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long epochMillis() {
    return epochOffsetMillis + (nanos.get() - 1_000_000_000L) / 1_000_000L;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(nanos.get() + delay.toNanos(), seq++, task, Vertx.currentContext());
    tasks.add(t);
    notifyAll();
    return () -> {
      synchronized (ManualClock.this) {
        tasks.remove(t);
      }
    };
  }

  /** Number of timers not yet fired or cancelled; lets tests assert nothing leaks. */
  public synchronized int pendingTimers() {
    return tasks.size();
  }

  /**
   * Waits (up to 10s of real time) until at least {@code n} timers are pending: lets a test move
   * time only once the code under test has scheduled what it will schedule.
   */
  public synchronized void awaitPendingTimers(int n) {
    awaitTimer(() -> tasks.size() >= n, n + " pending timer(s)");
  }

  /**
   * Waits (up to 10s of real time) until a pending timer is due exactly {@code delay} from now,
   * e.g. a retry's back-off: moving time before it is scheduled would move the timer too.
   */
  public synchronized void awaitTimerDueIn(Duration delay) {
    awaitTimer(
        () -> tasks.stream().anyMatch(t -> t.due - nanos.get() == delay.toNanos()),
        "a timer due in " + delay.toMillis() + "ms");
  }

  private void awaitTimer(java.util.function.BooleanSupplier done, String what) {
    long until = System.nanoTime() + 10_000_000_000L;
    while (!done.getAsBoolean()) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("expected " + what + "; pending: " + tasks.size());
      }
      try {
        wait(left / 1_000_000L + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Time until the earliest pending timer, or null when none is pending. */
  public synchronized Duration nextDueIn() {
    Task t = tasks.peek();
    return t == null ? null : Duration.ofNanos(Math.max(0, t.due - nanos.get()));
  }

  /**
   * The Vert.x contexts the pending timers will run on: a driver of virtual time (as in {@code
   * medley test}) waits for their event loops to go idle before it moves time.
   */
  public synchronized java.util.Set<Context> pendingContexts() {
    java.util.Set<Context> out = new java.util.HashSet<>();
    tasks.forEach(
        t -> {
          if (t.context != null) {
            out.add(t.context);
          }
        });
    return out;
  }

  /** Moves time forward and runs every timer that became due. */
  public void advance(Duration d) {
    long target = nanos.get() + d.toNanos();
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          break;
        }
        tasks.poll();
      }
      nanos.set(Math.max(nanos.get(), next.due));
      next.run();
    }
    nanos.set(target);
  }

  private record Task(long due, long seq, Runnable body, Context context) {
    void run() {
      if (context != null) {
        context.runOnContext(v -> body.run());
      } else {
        body.run();
      }
    }
  }
}
