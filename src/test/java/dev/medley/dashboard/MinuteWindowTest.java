package dev.medley.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.observe.ThreadStripes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The one-minute window behind the dashboard's upstream health, on explicit times (no clock). */
@Tag("fast")
class MinuteWindowTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  @Test
  void errorRateAndPercentilesCoverTheLastMinuteOnly() {
    MinuteWindow w = new MinuteWindow();
    long t0 = 1_000 * SECOND;
    for (int i = 0; i < 98; i++) {
      w.record(t0 + i * MS, 2 * MS, false); // 98 fast answers
    }
    w.record(t0, 400 * MS, true); // and two slow failures
    w.record(t0 + 30 * SECOND, 400 * MS, true);

    MinuteWindow.Summary s = w.summary(t0 + 30 * SECOND);
    assertThat(s.attempts()).isEqualTo(100);
    assertThat(s.errors()).isEqualTo(2);
    assertThat(s.errorRate()).isEqualTo(0.02);
    assertThat(s.p50Ms()).isBetween(2.0, 2.5); // the bucket holding 2 ms is at most 25% wider
    assertThat(s.p99Ms()).isBetween(400.0, 500.0);

    // 61 s after t0 only the attempt of t0+30s is left in the window.
    MinuteWindow.Summary later = w.summary(t0 + 61 * SECOND);
    assertThat(later.attempts()).isEqualTo(1);
    assertThat(later.errorRate()).isEqualTo(1.0);
  }

  @Test
  void aSlotIsClearedWhenTheClockComesRoundToItAgain() {
    MinuteWindow w = new MinuteWindow();
    long t0 = 5 * SECOND;
    w.record(t0, MS, true);
    w.record(t0 + 60 * SECOND, MS, false); // same slot, one minute later

    MinuteWindow.Summary s = w.summary(t0 + 60 * SECOND);
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.errors()).isZero();
  }

  @Test
  void noAttemptsMeansNoPercentiles() {
    MinuteWindow.Summary s = new MinuteWindow().summary(0);
    assertThat(s.attempts()).isZero();
    assertThat(s.p50Ms()).isNaN();
    assertThat(s.errorRate()).isZero();
  }

  @Test
  void attemptsRecordedFromManyThreadsAtOnceAreAllCounted() throws Exception {
    MinuteWindow w = new MinuteWindow();
    long t0 = 2_000 * SECOND;
    int perThread = 10_000;
    int n = ThreadStripes.COUNT + 3; // more threads than stripes: some share one
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      boolean errors = t % 2 == 0;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      // spread over ten seconds: slots are opened by several threads at once
                      w.record(t0 + (i % 10) * SECOND, 2 * MS, errors && i % 5 == 0);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    MinuteWindow.Summary s = w.summary(t0 + 10 * SECOND);
    assertThat(s.attempts()).isEqualTo((long) n * perThread);
    assertThat(s.errors()).isEqualTo(((n + 1) / 2) * (perThread / 5L));
    assertThat(s.p99Ms()).isBetween(2.0, 2.5);
  }
}
