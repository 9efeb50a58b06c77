package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Locate;
import dev.medley.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config file is polled on the (manual) clock; a change that has settled for one interval is
 * reloaded.
 */
class WatchTest extends GatewayTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  @TempDir Path dir;
  private Path file;

  private static String config(String marker) {
    return ReloadTest.config(marker).replace("watchInterval: 0s", "watchInterval: 1s");
  }

  private void write(String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Moves the clock one interval and waits until the poll it triggers (and any reload) is done. */
  private void poll() throws Exception {
    var polled = gw.gateway.watcher().nextPoll();
    clock.advance(INTERVAL);
    polled.await(10, TimeUnit.SECONDS);
  }

  private String served() {
    return gw.get("/web/which").body();
  }

  @BeforeEach
  void startWatching() {
    a.on("/ping", FakeUpstream.json("{}"));
    file = dir.resolve("medley.yaml");
    write(config("one"));
    startFile(file);
  }

  @Test
  void changedFileIsAppliedOnceItHasStayedTheSameForOneInterval() throws Exception {
    write(config("two"));
    poll();
    assertThat(served()).as("a change just seen may still be being written").contains("\"one\"");
    poll();
    assertThat(served()).contains("\"two\"");
    assertThat(gw.gateway.plan().version()).isEqualTo(Gateway.version(config("two")));
  }

  @Test
  void fileStillChangingBetweenPollsIsNotAppliedYet() throws Exception {
    write(config("two"));
    poll();
    write(config("three"));
    poll();
    assertThat(served()).contains("\"one\"");
    poll();
    assertThat(served()).contains("\"three\"");
  }

  @Test
  void invalidFileIsLoggedOnceAndTheOldConfigKeepsServing() throws Exception {
    String bad =
        config("two").replace("watchInterval: 1s", "watchInterval: 1s\n  shutdownGrace: soon");
    try (LogCapture log = LogCapture.of(Reloader.LOGGER)) {
      write(bad);
      poll();
      poll();
      assertThat(log.lines())
          .anyMatch(
              l ->
                  l.startsWith(
                      "WARNING config rejected: "
                          + file
                          + ":"
                          + Locate.of(bad, "soon")
                          + ": server.shutdownGrace: 'soon' is not a duration"));
      int logged = log.lines().size();
      poll();
      poll();
      assertThat(log.lines())
          .as("a rejected version is not retried until the file changes")
          .hasSize(logged);
    }
    assertThat(served()).contains("\"one\"");
    write(config("three"));
    poll();
    poll();
    assertThat(served()).contains("\"three\"");
  }

  @Test
  void deletedFileKeepsTheConfigServing() throws Exception {
    Files.delete(file);
    poll();
    poll();
    assertThat(served()).contains("\"one\"");
  }
}
