package dev.medley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.testing.ProcessOutput;
import dev.medley.testing.Sockets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code medley run --transport}: a name it does not know, or a native transport this machine
 * cannot run, stops the start with exit 2 and says why; {@code auto} falls back to what runs and
 * the start-up line names it. Netty probes native transports once per JVM, so the unavailable case
 * runs in a child JVM where {@code -Dio.netty.transport.noNative=true} makes Netty's probes fail
 * (the path a kernel without io_uring, or a seccomp profile refusing it, takes).
 */
class RunTransportOptionTest {
  @TempDir Path dir;
  private Process medley;

  @AfterEach
  void stopTheChild() throws Exception {
    if (medley != null && medley.isAlive()) {
      medley.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // only the process this test started
    }
  }

  @Test
  void unknownTransportIsRefusedBeforeAnythingStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          new CommandLine(new Main())
              .execute("run", "-c", "docs/examples/minimal.yaml", "--transport", "bogus");
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--transport: bogus (expected one of [auto, epoll, io_uring, nio])");
  }

  @Test
  void anUnavailableNativeTransportIsRefusedAndAutoFallsBackToNio() throws Exception {
    Path config = dir.resolve("medley.yaml");
    Files.writeString(
        config,
        """
        version: 1
        server:
          port: %d
          admin: { port: %d }
          watchInterval: 0s
        upstreams:
          a: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            routes:
              GET /p:
                steps:
                  a: { upstream: a, path: /p }
        """
            .formatted(Sockets.freePort(), Sockets.freePort()));

    for (String name : List.of("io_uring", "epoll")) {
      Process refused = child(config, name);
      String out = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(refused.exitValue()).as(out).isEqualTo(2);
      assertThat(out)
          .contains("--transport: " + name + " is not available here: ")
          .contains("noNative")
          .contains("(--transport epoll or nio runs without it)")
          .doesNotContain("medley listening on");
    }

    medley = child(config, "auto");
    ProcessOutput out = new ProcessOutput(medley);
    out.await(
        l -> l.startsWith("medley listening on") && l.endsWith(", transport nio)"),
        "auto to fall back to nio and say so");
    out.await(
        l ->
            l.startsWith("transport auto: io_uring is not available here (")
                && l.contains("; epoll is not available here (")
                && l.contains("noNative"),
        "the reasons auto passed io_uring and epoll over");
  }

  private static Process child(Path config, String transport) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dio.netty.transport.noNative=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of("run", "-c", config.toString(), "--transport", transport));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }
}
