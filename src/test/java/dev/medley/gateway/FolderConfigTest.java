package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config written as a folder, one file per team: the files merge into one config, a name defined
 * in two files is a located error, and a reload in which one file is invalid keeps that file's last
 * good version serving while the other files' changes apply.
 */
class FolderConfigTest extends GatewayTest {
  @TempDir Path dir;

  private static final String SHARED =
      """
      version: 1
      server:
        admin: { token: "${env:ADMIN_TOKEN}" }
        watchInterval: 1s
      upstreams:
        a: { url: "${env:A}" }
      """;

  private static String team(String experience, String marker) {
    return """
        experiences:
          %s:
            basePath: /%s
            routes:
              GET /which:
                steps:
                  ping: { upstream: a, path: /ping }
                response: { config: "'%s'" }
        """
        .formatted(experience, experience, marker);
  }

  private void write(String name, String text) {
    try {
      Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Moves the clock one watch interval and waits until the poll it triggers (and any reload) is
   * done.
   */
  private void poll() throws Exception {
    var polled = gw.gateway.watcher().nextPoll();
    clock.advance(Duration.ofSeconds(1));
    polled.await(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  private String which(String experience) {
    HttpResponse<String> r = gw.get("/" + experience + "/which");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r.body()).path("config").asText();
  }

  private static JsonNode json(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  @Test
  void reloadWithOneInvalidFileKeepsItsLastGoodVersionAndAppliesTheOthers() throws Exception {
    a.on("/ping", FakeUpstream.json("{}"));
    write("shared.yaml", SHARED);
    write("web.yaml", team("web", "web-1"));
    write("mobile.yaml", team("mobile", "mobile-1"));
    write("web.test.yaml", "not: a config"); // composition tests beside the config are not merged
    startFile(dir);
    assertThat(which("web")).isEqualTo("web-1");
    assertThat(which("mobile")).isEqualTo("mobile-1");

    // The web team breaks its file (an unknown upstream); the mobile team ships a valid change.
    write("web.yaml", team("web", "web-2").replace("upstream: a", "upstream: nope"));
    write("mobile.yaml", team("mobile", "mobile-2"));
    HttpResponse<String> r = gw.admin("POST", "/admin/reload", ADMIN_TOKEN);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r.body());
    assertThat(body.path("status").asText()).isEqualTo("applied");
    assertThat(body.path("partial").asBoolean()).isTrue();
    assertThat(body.path("heldBack").toString()).contains("web.yaml").doesNotContain("mobile.yaml");
    JsonNode error = body.path("errors").get(0);
    assertThat(error.path("file").asText()).endsWith("web.yaml");
    assertThat(error.path("line").asInt()).isEqualTo(7);
    assertThat(error.path("message").asText()).contains("nope");
    assertThat(which("mobile")).as("the valid file's change applies").isEqualTo("mobile-2");
    assertThat(which("web"))
        .as("the invalid file's last good version keeps serving")
        .isEqualTo("web-1");

    // The admin API and the metrics still say so after the reload.
    JsonNode config = json(gw.admin("GET", "/admin/config", ADMIN_TOKEN).body());
    assertThat(config.path("partial").asBoolean()).isTrue();
    assertThat(config.path("heldBack").toString()).contains("web.yaml");
    JsonNode dashboard =
        json(gw.admin("GET", "/admin/rejected-reload", ADMIN_TOKEN).body()).path("heldBack");
    assertThat(dashboard.path("files").toString())
        .as("the dashboard's reload panel")
        .contains("web.yaml");
    assertThat(dashboard.path("errors").get(0).path("line").asInt()).isEqualTo(7);
    String metrics = gw.admin("GET", "/metrics", ADMIN_TOKEN).body();
    assertThat(metrics)
        .contains("medley_config_files_held 1.0")
        .contains("medley_config_reloads_total{outcome=\"applied\"} 1.0");

    // The watcher does not retry the same broken files, and picks up the fix.
    write("web.yaml", team("web", "web-3"));
    poll(); // sees the change
    poll(); // the change has settled: reloads
    assertThat(which("web")).isEqualTo("web-3");
    assertThat(
            json(gw.admin("GET", "/admin/config", ADMIN_TOKEN).body()).path("partial").asBoolean())
        .isFalse();
    assertThat(
            json(gw.admin("GET", "/admin/rejected-reload", ADMIN_TOKEN).body())
                .path("heldBack")
                .isNull())
        .isTrue();
  }

  @Test
  void aNameDefinedInTwoFilesIsALocatedErrorNamingBoth() throws IOException {
    write("shared.yaml", SHARED);
    write("web.yaml", team("web", "one"));
    write("web-copy.yaml", team("web", "two"));
    ConfigLoader.Result r =
        new ConfigLoader(Env.of(Map.of("A", "http://127.0.0.1:1", "ADMIN_TOKEN", "t"))).load(dir);
    assertThat(r.errors())
        .extracting(ConfigError::format)
        .singleElement()
        .asString()
        .startsWith(
            dir.resolve("web.yaml")
                + ":2:3: experiences.web: experience 'web' is also defined at "
                + dir.resolve("web-copy.yaml")
                + ":2:3");
  }
}
