package dev.medley.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records Vert.x blocked-thread warnings so tests can fail on them (the event loop must never
 * block).
 */
public final class BlockedThreads {
  private static final Logger CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  static {
    CHECKER.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            // Past the warning-exception time the checker attaches the blocked thread's stack: keep
            // its top.
            StringBuilder msg = new StringBuilder(record.getMessage());
            if (record.getThrown() != null) {
              StackTraceElement[] stack = record.getThrown().getStackTrace();
              for (int i = 0; i < Math.min(12, stack.length); i++) {
                msg.append("\n    at ").append(stack[i]);
              }
            }
            WARNINGS.add(msg.toString());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  private BlockedThreads() {}

  /** Starts watching (idempotent) and forgets earlier warnings. */
  public static void reset() {
    WARNINGS.clear();
  }

  public static List<String> warnings() {
    return List.copyOf(WARNINGS);
  }
}
