package dev.medley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.gateway.Transports;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.ProcessOutput;
import dev.medley.testing.Sockets;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medley run} in a real child JVM, stopped with SIGTERM ({@link ProcessHandle#destroy()} on
 * Linux) while a request waits on a stalled upstream: the request still gets its answer, new
 * connections are refused meanwhile, and the process exits 0.
 */
@Tag("isolated")
class SigtermTest {
  @TempDir Path dir;
  private Vertx vertx;
  private FakeUpstream upstream;
  private Process medley;

  @AfterEach
  void stopEverythingStarted() throws Exception {
    if (medley != null && medley.isAlive()) {
      medley.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // only the process this test started
    }
    if (upstream != null) {
      upstream.close();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void sigtermDuringASlowRequestFinishesItRefusesNewConnectionsAndExitsZero() throws Exception {
    vertx = Harness.vertx();
    upstream = FakeUpstream.start(vertx);
    upstream.on("/slow", upstream.stall());
    int port = Sockets.freePort();
    int adminPort = Sockets.freePort();
    Path config = dir.resolve("medley.yaml");
    Files.writeString(
        config,
        """
        version: 1
        server:
          port: %d
          admin: { port: %d }
          shutdownGrace: 30s
          watchInterval: 0s
        upstreams:
          slow: { url: "%s", timeout: 60s }
        experiences:
          web:
            routes:
              GET /slow:
                deadline: 60s
                steps:
                  answer: { upstream: slow, path: /slow }
        """
            .formatted(port, adminPort, upstream.url()));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    medley =
        new ProcessBuilder(
                java,
                "-D" + Transports.PROPERTY + "=" + Transports.defaultName(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "-c",
                config.toString())
            .redirectErrorStream(true)
            .start();
    ProcessOutput out = new ProcessOutput(medley);
    // The start-up line names the transport the property (default: auto) chose on this machine.
    String transport =
        ", transport " + Transports.label(Transports.choose(Transports.defaultName())) + ")";
    out.await(
        l -> l.startsWith("medley listening on") && l.endsWith(transport),
        "the gateway to start on the chosen transport");

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<String>> slow =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow"))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    upstream.awaitRequests(1);

    // SIGTERM through the process handle: Process.destroy() sends the same signal on Linux but also
    // closes this side of the child's output pipe, and the test must keep reading it.
    assertThat(medley.toHandle().destroy()).isTrue();
    out.await(l -> l.startsWith("medley: stopping"), "the shutdown to begin");
    assertThat(Sockets.refused(port))
        .as("new connections are refused during the grace period")
        .isTrue();
    assertThat(medley.isAlive()).as("still draining").isTrue();
    assertThat(slow).isNotDone();

    upstream.releaseStalled("{\"done\":true}");
    HttpResponse<String> r = slow.get(60, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"answer\":{\"done\":true}}");
    assertThat(medley.waitFor(60, TimeUnit.SECONDS)).as("exited; output: %s", out.lines).isTrue();
    assertThat(medley.exitValue()).as("exit status; output: %s", out.lines).isZero();
    out.await(l -> l.equals("medley: stopped"), "the last words");
  }
}
