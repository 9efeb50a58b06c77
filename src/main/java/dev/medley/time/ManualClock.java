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
  private final PriorityQueue<Task> tasks = new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
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
