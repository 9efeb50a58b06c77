package dev.medley.observe;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which stripe of a striped counter the calling thread writes: each thread gets the next of {@link
 * #COUNT} stripes the first time it asks and keeps it. Counters that every event loop updates on
 * every request keep one stripe per thread (allocated by that thread, so two loops never write the
 * same cache line) and are summed only when read; threads beyond {@link #COUNT} share stripes,
 * which their writers must tolerate (atomic adds).
 */
public final class ThreadStripes {
  /** Stripes per counter: a power of two, above the event loops of any machine we run on. */
  public static final int COUNT = 16;

  private static final AtomicInteger NEXT = new AtomicInteger();
  // Netty's thread local: an array index on the event loops' own threads.
  private static final FastThreadLocal<Integer> MINE =
      new FastThreadLocal<>() {
        @Override
        protected Integer initialValue() {
          return NEXT.getAndIncrement() & (COUNT - 1);
        }
      };

  private ThreadStripes() {}

  /** The calling thread's stripe, in {@code [0, COUNT)}. */
  public static int index() {
    return MINE.get();
  }
}
