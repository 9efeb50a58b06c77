package dev.medley.observe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.config.ObserveSpec;
import dev.medley.engine.StepTrace;
import dev.medley.json.Json;
import dev.medley.observe.TelemetryNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log's writer without a gateway: what happens when it falls behind (lines beyond the
 * queue are dropped and counted, never waited for) and that batched writes keep every line, in
 * order and in UTF-8.
 */
class AccessLogWriterTest {
  private static AccessLine line(String requestId, String experience) {
    return new AccessLine(
        1_800_000_000_000L,
        requestId,
        null,
        "GET",
        experience,
        "/web/p/{id}",
        "none",
        200,
        1_500_000L,
        List.of(
            new StepTrace("product", TelemetryNames.STEP_OK, null, 0, 1_000_000L, 1, 1, "none")),
        0,
        10,
        null,
        null);
  }

  private static String requestId(String json) {
    try {
      return Json.MAPPER.readTree(json).get("requestId").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aStuckWriterNeverBlocksTheCallerAndLinesBeyondTheQueueAreDroppedAndCounted()
      throws InterruptedException {
    CountDownLatch taken = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Consumer<String> stuck =
        s -> {
          seen.add(s);
          taken.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AccessLog log = AccessLog.create(ObserveSpec.AccessLog.DEFAULT, stuck, registry, 4);
    log.log(line("r0", "web"));
    assertThat(taken.await(10, TimeUnit.SECONDS)).as("the writer took the first line").isTrue();
    for (int i = 1; i <= 10; i++) {
      log.log(line("r" + i, "web")); // returns at once although the writer is stuck
    }
    assertThat(registry.get(TelemetryNames.ACCESS_LOG_DROPPED).counter().count()).isEqualTo(6.0);
    release.countDown();
    log.close();
    assertThat(seen)
        .extracting(AccessLogWriterTest::requestId)
        .containsExactly("r0", "r1", "r2", "r3", "r4");
  }

  @Test
  void batchedFileWritesKeepEveryLineInOrderAndInUtf8(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("access.log");
    AccessLog log =
        AccessLog.create(
            new ObserveSpec.AccessLog(ObserveSpec.AccessLog.FILE, file.toString()),
            null,
            new SimpleMeterRegistry());
    for (int i = 0; i < 3_000; i++) {
      log.log(line("r" + i, i == 1_234 ? "caf\u00e9 \u20ac \uD83D\uDE00" : "web"));
    }
    log.close();
    List<String> written = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(written).hasSize(3_000);
    for (int i = 0; i < written.size(); i++) {
      assertThat(requestId(written.get(i))).isEqualTo("r" + i);
    }
    JsonNode odd = Json.MAPPER.readTree(written.get(1_234));
    assertThat(odd.get("experience").asText()).isEqualTo("caf\u00e9 \u20ac \uD83D\uDE00");
    assertThat(odd.get("durationMs").asDouble()).isEqualTo(1.5);
  }
}
