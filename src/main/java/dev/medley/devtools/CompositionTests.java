package dev.medley.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medley.config.ConfigError;
import dev.medley.config.ConfigFolder;
import dev.medley.config.Env;
import dev.medley.gateway.ConfigSource;
import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.observe.ObserveHooks;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs composition tests ({@code medley test}): for each case, a gateway on the real engine with
 * the case's declared upstream answers in place of the network, on a manual clock that jumps to the
 * next timer whenever the gateway waits (so a 2-second delay costs no real time), one request over
 * loopback, and the answer checked against the expectations. Every case gets a fresh gateway, so
 * breakers and caches never leak from one case into the next.
 */
public final class CompositionTests {
  /** Exit status: every case passed. */
  public static final int PASSED = 0;

  /** Exit status: a case failed, or a test file or its config is invalid. */
  public static final int FAILED = 1;

  /** Exit status: nothing to run (no such path, no test files). */
  public static final int USAGE = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Real time a case may take at most, whatever its virtual time. */
  private static final long CASE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(20);

  private final PrintWriter out;
  private int passed;
  private int failed;

  private CompositionTests(PrintWriter out) {
    this.out = out;
  }

  /**
   * Runs every test file in {@code targets} (files, or folders searched for {@code *.test.yaml}).
   */
  public static int run(List<Path> targets, PrintWriter out, PrintWriter err) {
    List<Path> files = new ArrayList<>();
    for (Path t : targets) {
      if (!Files.exists(t)) {
        err.println(t + ": no such file or folder");
        return USAGE;
      }
      try {
        files.addAll(testFiles(t));
      } catch (IOException e) {
        err.println(t + ": " + e.getMessage());
        return USAGE;
      }
    }
    if (files.isEmpty()) {
      err.println("no composition tests (*.test.yaml) in " + targets);
      return USAGE;
    }
    CompositionTests runner = new CompositionTests(out);
    Vertx vertx = Vertx.vertx();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      for (Path f : files) {
        runner.runFile(vertx, http, f);
      }
    } finally {
      vertx.close().await();
    }
    out.println(
        runner.passed
            + runner.failed
            + " tests: "
            + runner.passed
            + " passed, "
            + runner.failed
            + " failed");
    out.flush();
    return runner.failed == 0 ? PASSED : FAILED;
  }

  /** {@code target} itself when it is a file, else every {@code *.test.yaml} below it, sorted. */
  static List<Path> testFiles(Path target) throws IOException {
    if (!Files.isDirectory(target)) {
      return List.of(target);
    }
    try (Stream<Path> all = Files.walk(target)) {
      return all.filter(
              p -> Files.isRegularFile(p) && ConfigFolder.isTestName(p.getFileName().toString()))
          .sorted()
          .toList();
    }
  }

  private void runFile(Vertx vertx, HttpClient http, Path file) {
    TestSuite suite;
    try {
      suite = TestSuite.read(file);
    } catch (YamlTree.Invalid e) {
      fail(file.toString(), "invalid test file", List.of(e.getMessage()));
      return;
    } catch (IOException e) {
      fail(file.toString(), "unreadable test file", List.of(e.getMessage()));
      return;
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(suite.env());
    ConfigSource source = new ConfigSource(suite.config(), Env.of(env), 0, 0);
    ConfigSource.Checked checked;
    try {
      checked = source.check(source.readNow());
    } catch (IOException e) {
      fail(file.toString(), "config " + suite.config() + " unreadable", List.of(e.getMessage()));
      return;
    }
    if (!checked.ok()) {
      fail(
          file.toString(),
          "config " + suite.config() + " is invalid",
          checked.errors().stream().map(ConfigError::format).toList());
      return;
    }
    for (TestSuite.Case c : suite.cases()) {
      List<String> problems;
      long started = System.nanoTime();
      try {
        problems = runCase(vertx, http, checked, c);
      } catch (Exception e) {
        problems = List.of(c.at() + ": the case could not run: " + e);
      }
      if (problems.isEmpty()) {
        passed++;
        out.println(
            "PASS "
                + c.at()
                + " "
                + c.name()
                + " ("
                + (System.nanoTime() - started) / 1_000_000
                + " ms)");
      } else {
        fail(c.at(), c.name(), problems);
      }
    }
  }

  private void fail(String at, String what, List<String> lines) {
    failed++;
    out.println("FAIL " + at + " " + what);
    lines.forEach(l -> out.println("  " + l.replace("\n", "\n  ")));
  }

  private List<String> runCase(
      Vertx vertx, HttpClient http, ConfigSource.Checked checked, TestSuite.Case c)
      throws Exception {
    ManualClock clock = new ManualClock();
    FakeUpstreams fakes = new FakeUpstreams(clock, new CaseAnswers(c.upstreams()));
    GatewayOptions options =
        GatewayOptions.of(checked.plan().spec(), checked.text(), clock)
            .withInstances(1)
            .withRandom(() -> 0L) // no retry jitter: back-offs are exact timers
            .withObserveHooks(new ObserveHooks(null, line -> {}))
            .withTransport(fakes);
    Gateway g = Gateway.start(vertx, options, checked.plan()).await(20, TimeUnit.SECONDS);
    try {
      HttpResponse<String> answer =
          VirtualTime.drive(
              clock,
              fakes,
              http.sendAsync(request(g, c.request()), HttpResponse.BodyHandlers.ofString()),
              CASE_LIMIT_NANOS);
      return check(c, answer, fakes);
    } finally {
      g.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static HttpRequest request(Gateway g, TestSuite.Request r) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + r.path()))
            .timeout(Duration.ofSeconds(20))
            .method(
                r.method(),
                r.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(r.body()));
    r.headers().forEach(b::header);
    if (r.body() != null && !r.headers().containsKey("content-type")) {
      b.header("content-type", "application/json");
    }
    return b.build();
  }

  private static List<String> check(TestSuite.Case c, HttpResponse<String> r, FakeUpstreams fakes) {
    List<String> problems = new ArrayList<>();
    TestSuite.Expect e = c.expect();
    if (e.status() != null && e.status().value() != r.statusCode()) {
      problems.add(
          e.status().at()
              + ": status: expected "
              + e.status().value()
              + ", got "
              + r.statusCode()
              + (r.body().isEmpty() ? "" : "\n  " + abbreviate(r.body())));
    }
    if (e.headers() != null) {
      e.headers()
          .value()
          .forEach(
              (name, want) -> {
                String got = r.headers().firstValue(name).orElse(null);
                if (!want.equals(got)) {
                  problems.add(
                      e.headers().at()
                          + ": header "
                          + name
                          + ": expected '"
                          + want
                          + "', got "
                          + (got == null ? "none" : "'" + got + "'"));
                }
              });
    }
    if (e.partial() != null) {
      String header = r.headers().firstValue("x-medley-partial").orElse("");
      List<String> got = header.isEmpty() ? List.of() : List.of(header.split(","));
      if (!sorted(got).equals(sorted(e.partial().value()))) {
        problems.add(
            e.partial().at() + ": partial: expected " + e.partial().value() + ", got " + got);
      }
    }
    if (e.body() != null) {
      problems.addAll(body(e.body(), r.body()));
    }
    if (e.calls() != null) {
      List<String> made = fakes.calls().stream().map(FakeUpstreams.Call::toString).toList();
      if (!sorted(made).equals(sorted(e.calls().value()))) {
        problems.add(
            e.calls().at()
                + ": calls: expected "
                + sorted(e.calls().value())
                + ", got "
                + sorted(made));
      }
    }
    if (!problems.isEmpty() && !fakes.unmatched().isEmpty()) {
      problems.add(c.at() + ": calls no given answer matched (answered 404): " + fakes.unmatched());
    }
    return problems;
  }

  private static List<String> body(TestSuite.Expected<JsonNode> expected, String text) {
    JsonNode actual;
    try {
      actual = JSON.readTree(text);
    } catch (IOException x) {
      return List.of(expected.at() + ": body: expected JSON, got " + abbreviate(text));
    }
    List<JsonSubset.Mismatch> diff = JsonSubset.compare(expected.value(), actual);
    if (diff.isEmpty()) {
      return List.of();
    }
    StringBuilder b =
        new StringBuilder(expected.at() + ": body does not match (- expected, + actual):");
    diff.forEach(
        m -> m.lines().forEach(l -> b.append("\n  ").append(l.startsWith("$") ? l : "  " + l)));
    return List.of(b.toString());
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
