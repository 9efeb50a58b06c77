package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.Locate;
import dev.medley.testing.LogCapture;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading the config file through {@code POST /admin/reload}: under load, with in-flight
 * requests, and when invalid.
 */
class ReloadTest extends GatewayTest {
  @TempDir Path dir;

  /**
   * A config whose {@code /web/which} answers {@code {"config": marker}}; {@code server} lines are
   * extra settings.
   */
  static String config(String marker, String server) {
    return """
        version: 1
        server:
          admin: { token: "${env:ADMIN_TOKEN}" }
          watchInterval: 0s
        %s
        upstreams:
          a: { url: "${env:A}" }
          b: { url: "${env:B}" }
        experiences:
          web:
            basePath: /web
            routes:
              GET /which:
                steps:
                  ping: { upstream: a, path: /ping }
                response: { config: "'%s'" }
              GET /slow:
                steps:
                  first: { upstream: a, path: /slow }
                  second: { upstream: b, path: "/second/{first.id}" }
                response: { config: "'%s'", second: second.ok }
        """
        .formatted(server.indent(2).stripTrailing(), marker, marker);
  }

  static String config(String marker) {
    return config(marker, "");
  }

  private Path file(String text) {
    Path f = dir.resolve("medley.yaml");
    try {
      Files.writeString(f, text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return f;
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  private HttpResponse<String> reload() {
    return gw.admin("POST", "/admin/reload", ADMIN_TOKEN);
  }

  @Test
  void swappingConfigsTwentyTimesUnderLoadDropsNoRequestAndServesEachNewConfigAtOnce()
      throws Exception {
    a.on("/ping", FakeUpstream.json("{}"));
    startFile(file(config("one")));
    AtomicBoolean swapping = new AtomicBoolean(true);
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicInteger answered = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      running.add(
          clients.submit(
              () -> {
                // Bounded: stops when the swaps are done, and after 1,500 requests at most.
                for (int i = 0; i < 1_500 && swapping.get(); i++) {
                  HttpResponse<String> r = gw.get("/web/which");
                  String config = r.statusCode() == 200 ? json(r).path("config").asText() : "";
                  if (!config.equals("one") && !config.equals("two")) {
                    failures.add(r.statusCode() + " " + r.body());
                  }
                  answered.incrementAndGet();
                }
              }));
    }
    try {
      for (int swap = 1; swap <= 20; swap++) {
        String marker = swap % 2 == 1 ? "two" : "one";
        file(config(marker));
        HttpResponse<String> r = reload();
        assertThat(r.statusCode()).as("reload %d: %s", swap, r.body()).isEqualTo(200);
        assertThat(json(r).path("status").asText()).isEqualTo("applied");
        assertThat(json(gw.get("/web/which")).path("config").asText())
            .as("answer right after swap %d", swap)
            .isEqualTo(marker);
      }
    } finally {
      swapping.set(false);
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      clients.shutdown();
    }
    assertThat(failures).as("failed or dropped requests").isEmpty();
    assertThat(answered.get()).as("requests served during the swaps").isGreaterThanOrEqualTo(20);
    assertThat(gw.gateway.draining()).as("retired plans still open").isEmpty();
  }

  @Test
  void requestInFlightFinishesOnItsPlanAndTheOldClientsCloseOnlyAfterIt() {
    a.on("/slow", a.stall());
    b.on("/second", FakeUpstream.json("{\"ok\":true}"));
    a.on("/ping", FakeUpstream.json("{}"));
    Path f = file(config("one"));
    startFile(f);
    String oldVersion = gw.gateway.plan().version();
    CompletableFuture<HttpResponse<String>> slow = gw.getAsync("/web/slow");
    a.awaitRequests(1);

    file(config("two"));
    assertThat(json(reload()).path("status").asText()).isEqualTo("applied");
    assertThat(json(gw.get("/web/which")).path("config").asText())
        .as("new requests use the new plan")
        .isEqualTo("two");
    assertThat(gw.gateway.draining())
        .as("the old plan waits for its request")
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.version()).isEqualTo(oldVersion);
              assertThat(d.inFlight()).isEqualTo(1);
            });

    // Its second step is sent only now, after the swap, through the old plan's client: had that
    // client been closed at the swap, the step would fail and the answer would be a 502.
    a.releaseStalled("{\"id\":7}");
    HttpResponse<String> r = Harness.await(slow);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("config").asText())
        .as("finished on the plan it started on")
        .isEqualTo("one");
    assertThat(json(r).path("second").asBoolean()).isTrue();
    assertThat(b.received().getLast().uri()).isEqualTo("/second/7");
    assertThat(gw.gateway.draining()).as("closed after its last request").isEmpty();
  }

  @Test
  void invalidConfigChangesNothingAndItsErrorsAreLoggedWithLineAndColumn() {
    a.on("/ping", FakeUpstream.json("{}"));
    Path f = file(config("one"));
    startFile(f);
    String version = gw.gateway.plan().version();
    String bad =
        config("two")
            .replace("a: { url: \"${env:A}\" }", "a: { url: \"${env:A}\", timout: 300ms }")
            .replace(
                "ping: { upstream: a, path: /ping }", "ping: { upstream: nowhere, path: /ping }");
    file(bad);
    String timoutAt = f + ":" + Locate.of(bad, "timout");

    try (LogCapture log = LogCapture.of(Reloader.LOGGER)) {
      HttpResponse<String> r = reload();
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
      JsonNode problem = json(r);
      assertThat(problem.path("version").asText()).isEqualTo(version);
      assertThat(problem.path("errors")).hasSize(2);
      JsonNode first = problem.path("errors").get(0);
      assertThat(
              first.path("file").asText()
                  + ":"
                  + first.path("line").asInt()
                  + ":"
                  + first.path("column").asInt())
          .isEqualTo(timoutAt);
      assertThat(first.path("message").asText()).startsWith("unknown key 'timout'");
      assertThat(problem.path("errors").get(1).path("message").asText())
          .startsWith("unknown upstream 'nowhere'");

      assertThat(log.lines())
          .anyMatch(
              l ->
                  l.startsWith(
                      "WARNING config rejected: "
                          + timoutAt
                          + ": upstreams.a.timout: unknown key"));
      assertThat(log.lines())
          .anyMatch(
              l ->
                  l.matches(
                      "WARNING config rejected: "
                          + java.util.regex.Pattern.quote(f.toString())
                          + ":\\d+:\\d+: .*unknown upstream 'nowhere'.*"));
      assertThat(log.lines()).anyMatch(l -> l.contains("version " + version + " keeps serving"));
    }
    assertThat(gw.gateway.plan().version()).isEqualTo(version);
    assertThat(json(gw.get("/web/which")).path("config").asText()).isEqualTo("one");
  }

  @Test
  void movingAListenerIsRejectedBecauseItNeedsARestart() {
    a.on("/ping", FakeUpstream.json("{}"));
    startFile(file(config("one")));
    String moved = config("two", "host: 127.0.0.2");
    Path f = file(moved);
    HttpResponse<String> r = reload();
    assertThat(r.statusCode()).isEqualTo(422);
    JsonNode error = json(r).path("errors").get(0);
    assertThat(error.path("path").asText()).isEqualTo("server.host");
    assertThat(error.path("message").asText())
        .contains("differs from the running 127.0.0.1")
        .contains("restart");
    assertThat(error.path("text").asText())
        .startsWith(f + ":" + Locate.of(moved, "127.0.0.2") + ": server.host: ");
    assertThat(json(gw.get("/web/which")).path("config").asText()).isEqualTo("one");
  }

  @Test
  void reloadingAnUnchangedFileAnswersUnchanged() {
    startFile(file(config("one")));
    HttpResponse<String> r = reload();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("status").asText()).isEqualTo("unchanged");
    assertThat(json(r).path("version").asText()).isEqualTo(gw.gateway.plan().version());
  }

  @Test
  void reloadNeedsTheAdminToken() {
    startFile(file(config("one")));
    assertThat(gw.admin("POST", "/admin/reload", null).statusCode()).isEqualTo(401);
    assertThat(gw.admin("POST", "/admin/reload", "wrong").statusCode()).isEqualTo(401);
    assertThat(gw.admin("GET", "/admin/reload", ADMIN_TOKEN).statusCode()).isEqualTo(405);
  }

  @Test
  void withoutAConfiguredTokenReloadNeedsTheGeneratedOne() {
    startFile(file(config("one").replace("  admin: { token: \"${env:ADMIN_TOKEN}\" }\n", "")));
    assertThat(gw.admin("POST", "/admin/reload", null).statusCode())
        .as("never open")
        .isEqualTo(401);
    HttpResponse<String> r = gw.admin("POST", "/admin/reload", gw.gateway.adminToken());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
