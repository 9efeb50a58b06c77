package dev.medley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process's output, line by line, read on a daemon thread so a test can wait for a line
 * with a bound (and stop waiting when the process ends without saying it).
 */
public final class ProcessOutput {
  public final List<String> lines = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();

  private final Process process;

  public ProcessOutput(Process process) {
    this.process = process;
    InputStream in = process.getInputStream();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.add(line);
                  fresh.add(line);
                }
              } catch (IOException ignored) {
                // The process ended.
              }
            },
            "medley-output");
    t.setDaemon(true);
    t.start();
  }

  public void await(Predicate<String> wanted, String what) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < until) {
      String line =
          fresh.poll(Math.min(1_000_000_000L, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line != null && wanted.test(line)) {
        return;
      }
      if (line == null && !process.isAlive() && fresh.isEmpty()) {
        break; // it ended without saying it
      }
    }
    throw new AssertionError("timed out waiting for " + what + "; output: " + lines);
  }

  /** The first group of the first line matching {@code p}. */
  public String find(Pattern p) {
    for (String l : lines) {
      Matcher m = p.matcher(l.trim());
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("no line matches " + p + "; output: " + lines);
  }
}
