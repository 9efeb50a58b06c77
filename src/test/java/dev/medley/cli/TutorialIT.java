package dev.medley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.testing.Sockets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs docs/tutorial.md as written, on the packaged jar: every {@code yaml file=PATH} block is
 * written to PATH, every {@code sh} block's commands are run in order (each must exit 0), every
 * {@code sh background} command is started and awaited, and each {@code text} block after a command
 * block lists lines its output must contain. Only what a test on a shared machine needs is changed:
 * the tutorial's fixed ports become free ones (the demo is told its services' ports), the build
 * step is skipped (the jar is what is being tested), and {@code TOKEN=} / {@code DEMO_TOKEN=} lines
 * are replaced by the tokens the processes printed.
 */
class TutorialIT {
  private static final Path TUTORIAL = Path.of("docs", "tutorial.md");
  private static final Pattern FENCE = Pattern.compile("^```(\\S*)(.*)$");
  private static final Pattern PORTS = Pattern.compile("\\b(8080|8081|9090|9091|910[1-5])\\b");
  private static final List<String> SERVICES =
      List.of("product", "pricing", "inventory", "reviews", "catalog");

  @TempDir Path work;

  private final Map<String, String> ports = new HashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final List<Process> background = new ArrayList<>();

  /** One fenced block of the tutorial. */
  private record Block(String lang, String attrs, String text) {}

  @AfterEach
  void stopWhatWasStarted() throws InterruptedException {
    for (Process p : background) {
      if (p.isAlive()) {
        p.toHandle().destroy(); // SIGTERM to the process this test started, by its PID
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void everyCommandOfTheTutorialWorksAsWritten() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    assertThat(root.resolve("target/medley.jar"))
        .as("the packaged jar (run after package)")
        .exists();
    Files.createSymbolicLink(work.resolve("bin"), root.resolve("bin"));
    Files.createSymbolicLink(work.resolve("target"), root.resolve("target"));
    for (String p :
        List.of("8080", "8081", "9090", "9091", "9101", "9102", "9103", "9104", "9105")) {
      ports.put(p, String.valueOf(Sockets.freePort()));
    }

    List<Block> blocks = blocks(Files.readString(TUTORIAL));
    assertThat(blocks).as("blocks of " + TUTORIAL).isNotEmpty();
    List<String> lastOutput = List.of();
    int files = 0;
    int commands = 0;
    for (Block b : blocks) {
      String text = withPorts(b.text());
      if (b.lang().equals("yaml") && b.attrs().startsWith("file=")) {
        Path file = work.resolve(b.attrs().substring(5));
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        files++;
      } else if (b.lang().equals("sh") && b.attrs().equals("background")) {
        lastOutput = startInBackground(text.strip());
        commands++;
      } else if (b.lang().equals("sh")) {
        lastOutput = run(text);
        commands++;
      } else if (b.lang().equals("text")) {
        expect(lastOutput, text);
      }
    }
    assertThat(files).as("config and test files in the tutorial").isGreaterThanOrEqualTo(2);
    assertThat(commands).as("command blocks in the tutorial").isGreaterThanOrEqualTo(6);
  }

  /** Every fenced block, in order. */
  private static List<Block> blocks(String markdown) {
    List<Block> out = new ArrayList<>();
    String lang = null;
    String attrs = null;
    StringBuilder text = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      Matcher m = FENCE.matcher(line);
      if (lang == null && m.matches()) {
        lang = m.group(1);
        attrs = m.group(2).strip();
        text.setLength(0);
      } else if (lang != null && line.equals("```")) {
        out.add(new Block(lang, attrs, text.toString()));
        lang = null;
      } else if (lang != null) {
        text.append(line).append('\n');
      }
    }
    return out;
  }

  private String withPorts(String text) {
    return PORTS.matcher(text).replaceAll(m -> ports.get(m.group(1)));
  }

  /** Runs each command line; the output of all of them, for a following {@code text} block. */
  private List<String> run(String block) throws Exception {
    List<String> output = new ArrayList<>();
    for (String raw : block.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("./mvnw ")) {
        continue; // the jar under test is already built
      }
      if (line.startsWith("TOKEN=") || line.startsWith("DEMO_TOKEN=")) {
        assertThat(env)
            .as("a token printed before: " + line)
            .containsKey(line.substring(0, line.indexOf('=')));
        continue;
      }
      Process p =
          withEnv(new ProcessBuilder("bash", "-c", line))
              .directory(work.toFile())
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader = reader(p, lines, new LinkedBlockingQueue<>());
      boolean done = p.waitFor(120, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(10_000);
      assertThat(done).as("`%s` finished; output: %s", line, lines).isTrue();
      assertThat(p.exitValue()).as("exit status of `%s`; output: %s", line, lines).isZero();
      output.addAll(lines);
    }
    return output;
  }

  private ProcessBuilder withEnv(ProcessBuilder pb) {
    pb.environment().putAll(env);
    return pb;
  }

  /**
   * Starts a long-running command, with the demo told its services' ports; waits for its first
   * line.
   */
  private List<String> startInBackground(String command) throws Exception {
    if (command.equals("bin/medley demo")) {
      StringBuilder c =
          new StringBuilder(
              "bin/medley demo --port " + ports.get("8080") + " --admin-port " + ports.get("9090"));
      for (int i = 0; i < SERVICES.size(); i++) {
        c.append(" --service-port ")
            .append(SERVICES.get(i))
            .append('=')
            .append(ports.get(String.valueOf(9101 + i)));
      }
      command = c.toString();
    }
    Process p =
        withEnv(new ProcessBuilder("bash", "-c", "exec " + command))
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    background.add(p);
    List<String> lines = new CopyOnWriteArrayList<>();
    BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
    reader(p, lines, fresh);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < until) {
      String line =
          fresh.poll(Math.min(1_000_000_000L, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line != null && started(line) || line == null && !p.isAlive()) {
        break;
      }
    }
    assertThat(lines.stream().anyMatch(TutorialIT::started))
        .as("`%s` started; output: %s", command, lines)
        .isTrue();
    for (String l : lines) {
      Matcher demo = Pattern.compile("Admin token \\(generated for this run\\): (\\S+)").matcher(l);
      Matcher run =
          Pattern.compile("admin token \\(generated for this run; .*\\): (\\S+)").matcher(l);
      if (demo.find()) {
        env.put("DEMO_TOKEN", demo.group(1));
      } else if (run.find()) {
        env.put("TOKEN", run.group(1));
      }
    }
    return List.copyOf(lines);
  }

  private static boolean started(String line) {
    return line.contains("Stop with Ctrl-C") || line.startsWith("dashboard: ");
  }

  private static Thread reader(Process p, List<String> into, BlockingQueue<String> fresh) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  into.add(line);
                  fresh.add(line);
                }
              } catch (IOException ignored) {
                // The process ended.
              }
            },
            "tutorial-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Each line of {@code expected} appears in {@code output} (case aside: header names vary). */
  private static void expect(List<String> output, String expected) {
    String all = String.join("\n", output).toLowerCase(Locale.ROOT);
    for (String line : expected.split("\n")) {
      if (!line.isBlank()) {
        assertThat(all)
            .as(
                "output of the command before, which the tutorial shows; output:%n%s",
                String.join("\n", output))
            .contains(line.strip().toLowerCase(Locale.ROOT));
      }
    }
  }
}
