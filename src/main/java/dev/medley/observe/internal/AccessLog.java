package dev.medley.observe.internal;

import dev.medley.config.ObserveSpec;
import dev.medley.observe.TelemetryNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The access log. The event loop only offers a captured {@link AccessLine} to a bounded queue
 * (lock-free: no lock, no wait, no wake-up of another thread); a dedicated thread takes what has
 * queued every few milliseconds, renders the whole batch into one reused buffer and writes it with
 * one call. When the writer falls behind by {@code capacity} lines, new lines are dropped and
 * counted ({@code medley_access_log_dropped_total}) rather than ever making a request wait on the
 * disk or the terminal.
 *
 * <p>Why a polling writer: a writer blocked on the queue must be signalled for every line, which
 * costs the event loop a futex wake-up and the machine a context switch per request, and writing
 * each line as it comes costs a system call per request. Polling every {@link #IDLE_PARK_NANOS}
 * bounds how late a line reaches its target instead. Why lock-free: with a locked queue, an event
 * loop offering a line waits whenever the writer holds the lock, and on a loaded machine the writer
 * can be descheduled while holding it.
 */
final class AccessLog implements AutoCloseable {
  static final int CAPACITY = 8192;

  /** How long the writer sleeps when nothing is queued: the most a line waits before its write. */
  static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** Most lines rendered into one write. */
  private static final int BATCH = 512;

  private final Thread thread;
  private final Counter dropped;
  private final Drain drain;
  private final int capacity;

  private AccessLog(Thread thread, Counter dropped, Drain drain, int capacity) {
    this.thread = thread;
    this.dropped = dropped;
    this.drain = drain;
    this.capacity = capacity;
  }

  /**
   * An access log for {@code spec}, or writing to {@code lines} when given; {@code registry} (may
   * be null) counts drops.
   */
  static AccessLog create(
      ObserveSpec.AccessLog spec, Consumer<String> lines, MeterRegistry registry) {
    return create(spec, lines, registry, CAPACITY);
  }

  /**
   * As {@link #create(ObserveSpec.AccessLog, Consumer, MeterRegistry)}, with a queue of {@code
   * capacity} lines.
   */
  static AccessLog create(
      ObserveSpec.AccessLog spec, Consumer<String> lines, MeterRegistry registry, int capacity) {
    if (lines == null && ObserveSpec.AccessLog.NONE.equals(spec.target())) {
      return new AccessLog(null, null, null, 0);
    }
    Counter dropped =
        registry == null
            ? null
            : Counter.builder(TelemetryNames.ACCESS_LOG_DROPPED)
                .description("Access log lines dropped because the writer fell behind")
                .register(registry);
    Drain drain = new Drain(spec, lines, dropped);
    Thread t = Thread.ofPlatform().daemon().name("medley-access-log").unstarted(drain);
    t.start();
    return new AccessLog(t, dropped, drain, capacity);
  }

  /** Hands a line to the writer; never blocks, never wakes the writer. */
  void log(AccessLine line) {
    if (drain == null) {
      return;
    }
    // A slot is taken before the line is queued and given back by the writer once it took the line.
    if (drain.queued.incrementAndGet() > capacity) {
      drain.queued.decrementAndGet();
      if (dropped != null) {
        dropped.increment();
      }
      return;
    }
    drain.queue.offer(line);
  }

  /**
   * Writes what is queued and stops the writer; blocks up to 5 s, so call it off the event loop.
   */
  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    drain.stopping = true;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The writer thread's loop: opens the target, then renders and writes batches until stopped. */
  private static final class Drain implements Runnable {
    private final ConcurrentLinkedQueue<AccessLine> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ObserveSpec.AccessLog spec;
    private final Consumer<String> lines;
    private final Counter dropped;
    private final List<AccessLine> batch = new ArrayList<>(BATCH);
    private final StringBuilder sb = new StringBuilder(BATCH * 512);
    private final AccessLine.Clock time = new AccessLine.Clock();
    private byte[] bytes = new byte[BATCH * 512];
    private volatile boolean stopping;

    Drain(ObserveSpec.AccessLog spec, Consumer<String> lines, Counter dropped) {
      this.spec = spec;
      this.lines = lines;
      this.dropped = dropped;
    }

    @Override
    public void run() {
      OutputStream out = lines != null ? null : open();
      try {
        while (true) {
          if (take() > 0) {
            out = lines != null ? toConsumer() : write(out);
            batch.clear();
          } else if (stopping || Thread.currentThread().isInterrupted()) {
            return;
          } else {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
          }
        }
      } finally {
        finish(out);
      }
    }

    /** Moves up to {@link #BATCH} queued lines into {@link #batch} and frees their slots. */
    private int take() {
      AccessLine line;
      while (batch.size() < BATCH && (line = queue.poll()) != null) {
        batch.add(line);
      }
      queued.addAndGet(-batch.size());
      return batch.size();
    }

    private OutputStream toConsumer() {
      for (AccessLine line : batch) {
        sb.setLength(0);
        line.render(sb, time);
        lines.accept(sb.toString());
      }
      return null;
    }

    /**
     * Renders the batch into the reused buffer and writes it at once; on failure reports once and
     * stops writing.
     */
    private OutputStream write(OutputStream out) {
      if (out == null) {
        if (dropped != null) {
          dropped.increment(batch.size());
        }
        return null;
      }
      sb.setLength(0);
      for (AccessLine line : batch) {
        line.render(sb, time);
        sb.append('\n');
      }
      int n = utf8(sb);
      try {
        out.write(bytes, 0, n);
        out.flush();
        return out;
      } catch (IOException e) {
        System.err.println(
            "medley: access log write failed: " + e.getMessage() + " (further lines are dropped)");
        return null;
      }
    }

    /**
     * Encodes {@code s} as UTF-8 into {@link #bytes}, growing it when needed; returns the length.
     */
    private int utf8(CharSequence s) {
      int len = s.length();
      if (bytes.length < len * 3) {
        bytes = Arrays.copyOf(bytes, len * 3);
      }
      byte[] b = bytes;
      int j = 0;
      for (int i = 0; i < len; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          b[j++] = (byte) c;
        } else if (c < 0x800) {
          b[j++] = (byte) (0xC0 | (c >> 6));
          b[j++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)
            && i + 1 < len
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          b[j++] = (byte) (0xF0 | (cp >> 18));
          b[j++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          b[j++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          b[j++] = (byte) (0x80 | (cp & 0x3F));
        } else if (Character.isSurrogate(c)) {
          b[j++] = '?'; // a lone surrogate has no UTF-8 form
        } else {
          b[j++] = (byte) (0xE0 | (c >> 12));
          b[j++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          b[j++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      return j;
    }

    private OutputStream open() {
      if (ObserveSpec.AccessLog.STDOUT.equals(spec.target())) {
        return System.out;
      }
      try {
        return new FileOutputStream(spec.path(), true);
      } catch (IOException | RuntimeException e) {
        System.err.println(
            "medley: cannot open access log "
                + spec.path()
                + ": "
                + e.getMessage()
                + " (lines are dropped)");
        return null;
      }
    }

    private void finish(OutputStream out) {
      if (out == null) {
        return;
      }
      try {
        out.flush();
        if (out != System.out) {
          out.close();
        }
      } catch (IOException ignored) {
        // Closing at shutdown: nowhere left to report to.
      }
    }
  }
}
