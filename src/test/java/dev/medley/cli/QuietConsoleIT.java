package dev.medley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.testing.ProcessOutput;
import dev.medley.testing.Sockets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console a new user sees: {@code bin/medley demo} on the packaged jar (what the README's demo
 * command runs through {@code exec:exec@demo}) prints its URLs and token and nothing from the
 * libraries underneath: no SLF4J provider warning, no {@code sun.misc.Unsafe} deprecation warning.
 * Runs after {@code package} (an {@code *IT} class), in a child process stopped by its PID.
 */
class QuietConsoleIT {
  private static final Pattern PAGE =
      Pattern.compile("curl -s (http://127\\.0\\.0\\.1:\\d+)/web/v2/products/1$");
  private static final Pattern TOKEN =
      Pattern.compile("Admin token \\(generated for this run\\): (\\S+)");
  private Process medley;

  @AfterEach
  void stopTheDemo() throws InterruptedException {
    if (medley != null && medley.isAlive()) {
      medley.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // only the process this test started
    }
  }

  @Test
  void demoConsoleHasNoSlf4jOrUnsafeLinesAndExplainWorksWithTheGeneratedToken() throws Exception {
    Path launcher = Path.of("bin", "medley").toAbsolutePath();
    assertThat(Path.of("target", "medley.jar")).as("the packaged jar (run after package)").exists();
    assertThat(Files.isExecutable(launcher)).isTrue();
    // Free ports everywhere: a benchmark or another demo on this machine must not fail this test.
    // (The public port is picked here: `--port 0` with more than one event loop fails to bind
    // today.)
    medley =
        new ProcessBuilder(
                launcher.toString(),
                "demo",
                "--port",
                String.valueOf(Sockets.freePort()),
                "--admin-port",
                "0",
                "--free-service-ports")
            .redirectErrorStream(true)
            .start();
    ProcessOutput out = new ProcessOutput(medley);
    out.await(l -> l.contains("Stop with Ctrl-C"), "the demo to start");

    String base = out.find(PAGE);
    String token = out.find(TOKEN);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/web/v2/products/1"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // Any answer will do (a cold JVM on a loaded machine may miss the demo's deadline): it ran a
    // route.
    assertThat(page.headers().firstValue("x-request-id")).isPresent();
    // Explain with the token the demo printed (none is configured: it is the generated one).
    HttpResponse<String> explained =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/web/v2/products/1"))
                .header("X-Medley-Explain", "1")
                .header("X-Medley-Admin-Token", token)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(explained.headers().firstValue("x-medley-explain")).hasValue("1");
    assertThat(explained.body()).contains("\"explain\":{", "\"steps\":[");

    assertThat(medley.toHandle().destroy()).isTrue(); // SIGTERM, by this process's PID
    assertThat(medley.waitFor(60, TimeUnit.SECONDS)).as("exited; output: %s", out.lines).isTrue();
    out.await(l -> l.equals("medley: stopped"), "the last words");
    assertThat(out.lines)
        .as("the console of `bin/medley demo`")
        .isNotEmpty()
        .noneMatch(l -> l.contains("SLF4J"))
        .noneMatch(l -> l.contains("sun.misc.Unsafe"))
        .noneMatch(l -> l.contains("terminally deprecated"));
  }
}
