package dev.medley.observe.internal;

import dev.medley.config.ObserveSpec;
import dev.medley.observe.TelemetryNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The access log: the event loop only offers a captured {@link AccessLine} to a bounded queue; a
 * dedicated thread renders and writes it. When the writer falls behind by {@value #CAPACITY} lines,
 * new lines are dropped and counted ({@code medley_access_log_dropped_total}) rather than ever
 * making a request wait on the disk or the terminal.
 */
final class AccessLog implements AutoCloseable {
  static final int CAPACITY = 8192;
  private static final Object STOP = new Object();

  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final Counter dropped;

  private AccessLog(BlockingQueue<Object> queue, Thread thread, Counter dropped) {
    this.queue = queue;
    this.thread = thread;
    this.dropped = dropped;
  }

  /**
   * An access log for {@code spec}, or writing to {@code lines} when given; {@code registry} (may be
   * null) counts drops.
   */
  static AccessLog create(ObserveSpec.AccessLog spec, Consumer<String> lines, MeterRegistry registry) {
    if (lines == null && ObserveSpec.AccessLog.NONE.equals(spec.target())) {
      return new AccessLog(null, null, null);
    }
    Counter dropped = registry == null ? null : Counter.builder(TelemetryNames.ACCESS_LOG_DROPPED)
        .description("Access log lines dropped because the writer fell behind").register(registry);
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    Thread t = Thread.ofPlatform().daemon().name("medley-access-log").unstarted(new Drain(queue, spec, lines, dropped));
    t.start();
    return new AccessLog(queue, t, dropped);
  }

  /** Hands a line to the writer; never blocks. */
  void log(AccessLine line) {
    if (queue != null && !queue.offer(line) && dropped != null) {
      dropped.increment();
    }
  }

  /** Writes what is queued and stops the writer; blocks up to 5 s, so call it off the event loop. */
  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    try {
      if (queue.offer(STOP, 5, TimeUnit.SECONDS)) {
        thread.join(5_000);
      } else {
        thread.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The writer thread's loop: opens the target, then renders and writes lines until stopped. */
  private static final class Drain implements Runnable {
    private final BlockingQueue<Object> queue;
    private final ObserveSpec.AccessLog spec;
    private final Consumer<String> lines;
    private final Counter dropped;

    Drain(BlockingQueue<Object> queue, ObserveSpec.AccessLog spec, Consumer<String> lines, Counter dropped) {
      this.queue = queue;
      this.spec = spec;
      this.lines = lines;
      this.dropped = dropped;
    }

    @Override
    public void run() {
      Writer out = lines != null ? null : open();
      StringBuilder sb = new StringBuilder(512);
      AccessLine.Clock time = new AccessLine.Clock();
      try {
        for (Object o = queue.take(); o != STOP; o = queue.take()) {
          sb.setLength(0);
          ((AccessLine) o).render(sb, time);
          if (lines != null) {
            lines.accept(sb.toString());
          } else if (out != null) {
            out = write(out, sb);
          } else if (dropped != null) {
            dropped.increment();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        finish(out);
      }
    }

    private Writer open() {
      if (ObserveSpec.AccessLog.STDOUT.equals(spec.target())) {
        return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
      }
      try {
        return Files.newBufferedWriter(Path.of(spec.path()), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      } catch (IOException | RuntimeException e) {
        System.err.println("medley: cannot open access log " + spec.path() + ": " + e.getMessage() + " (lines are dropped)");
        return null;
      }
    }

    /** Writes one line, flushing when nothing else waits; on failure reports once and stops writing. */
    private Writer write(Writer out, StringBuilder sb) {
      try {
        out.append(sb).append('\n');
        if (queue.isEmpty()) {
          out.flush();
        }
        return out;
      } catch (IOException e) {
        System.err.println("medley: access log write failed: " + e.getMessage() + " (further lines are dropped)");
        return null;
      }
    }

    private void finish(Writer out) {
      if (out == null) {
        return;
      }
      try {
        out.flush();
        if (!ObserveSpec.AccessLog.STDOUT.equals(spec.target())) {
          out.close();
        }
      } catch (IOException ignored) {
        // Closing at shutdown: nowhere left to report to.
      }
    }
  }
}
