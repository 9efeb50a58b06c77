package dev.medley.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.GatewayTest;
import dev.medley.json.Json;
import dev.medley.testing.FakeUpstream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard end to end: a gateway started from a file with no admin token (so the token is the
 * generated one), some traffic (a degraded step, a cached route, 429s), a rejected reload; then the
 * JSON endpoints, and the page itself in headless Chromium, with assertions on the DOM it built and
 * a screenshot kept in {@code target/dashboard.png}.
 */
class DashboardTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      server:
        watchInterval: 0s
      observe:
        accessLog: { target: none }
      upstreams:
        product: { url: "${env:A}" }
        brands: { url: "${env:B}" }
        reviews: { url: "${env:C}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /p/{id}:
              params: { id: { pattern: "^[0-9]{1,6}$" } }
              deadline: 2s
              steps:
                product: { upstream: product, path: "/products/{id}" }
                brand: { upstream: brands, path: "/brands/{product.brandId}" }
                reviews: { upstream: reviews, path: "/reviews/{id}", optional: { count: 0 } }
              response: { name: product.name, brand: brand.name, reviews: reviews }
            GET /cached/{id}:
              cache: { ttl: 60s }
              steps:
                product: { upstream: product, path: "/products/{id}" }
              response: { name: product.name }
            GET /limited:
              rateLimits: [ { key: ip, rate: 1/min, burst: 1, name: tight } ]
              steps:
                product: { upstream: product, path: "/products/1" }
              response: { name: product.name }
      """;

  @TempDir Path dir;

  private String token;

  private void startWithTraffic() throws IOException {
    Path file = dir.resolve("medley.yaml");
    Files.writeString(file, CONFIG);
    startFile(file);
    token = gw.gateway.adminToken(); // generated: the config sets none
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\",\"brandId\":\"7\"}"));
    b.on("/brands", FakeUpstream.json("{\"name\":\"Greyfell\"}"));
    c.on("/reviews", FakeUpstream.json(500, "{}"));
    for (int i = 0; i < 3; i++) {
      assertThat(gw.get("/web/p/1").statusCode()).isEqualTo(200);
      assertThat(gw.get("/web/cached/5").statusCode()).isEqualTo(200);
    }
    List<Integer> limited = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      limited.add(gw.get("/web/limited").statusCode());
    }
    assertThat(limited).containsExactly(200, 429, 429);
    // A reload of a broken file is refused with located errors; the dashboard shows them.
    Files.writeString(file, CONFIG.replace("brands: { url:", "brands: { timout: 1s, url:"));
    assertThat(gw.admin("POST", "/admin/reload", token).statusCode()).isEqualTo(422);
  }

  private JsonNode admin(String path) {
    HttpResponse<String> r = gw.admin(path, token);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode named(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.path(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  @Test
  void adminEndpointsServeTheGraphHealthTrafficRequestsAndTheRejectedReload() throws Exception {
    startWithTraffic();

    JsonNode route =
        named(
            admin("/admin/routes").get("experiences").get(0).get("routes"), "path", "/web/p/{id}");
    assertThat(route.get("waves").asInt()).isEqualTo(2);
    assertThat(named(route.get("steps"), "name", "product").get("wave").asInt()).isZero();
    assertThat(named(route.get("steps"), "name", "reviews").get("wave").asInt()).isZero();
    JsonNode brand = named(route.get("steps"), "name", "brand");
    assertThat(brand.get("wave").asInt()).isEqualTo(1);
    assertThat(brand.get("dependsOn").get(0).asText()).isEqualTo("product");
    assertThat(named(route.get("params"), "name", "id").get("pattern").asText())
        .isEqualTo("^[0-9]{1,6}$");

    JsonNode reviews = named(admin("/admin/upstreams").get("upstreams"), "name", "reviews");
    assertThat(reviews.get("attempts").asInt()).isEqualTo(3);
    assertThat(reviews.get("errorRate").asDouble()).isEqualTo(1.0);
    assertThat(reviews.get("breaker").asText()).isEqualTo("closed");
    JsonNode product = named(admin("/admin/upstreams").get("upstreams"), "name", "product");
    assertThat(product.get("errorRate").asDouble()).isZero();
    assertThat(product.get("p99Ms").isNumber()).isTrue();

    JsonNode traffic = admin("/admin/traffic");
    assertThat(traffic.get("cache").get("response").get("hits").asInt()).isEqualTo(2);
    assertThat(traffic.get("cache").get("response").get("hitRatio").asDouble()).isBetween(0.6, 0.7);
    assertThat(traffic.get("rateLimited").get("web").asInt()).isEqualTo(2);

    JsonNode requests = admin("/admin/requests").get("requests");
    assertThat(requests).hasSize(9);
    JsonNode first = named(requests, "route", "/web/p/{id}");
    assertThat(first.get("partial").get(0).asText()).isEqualTo("reviews");
    JsonNode waterfall = admin("/admin/requests/" + first.get("requestId").asText());
    assertThat(named(waterfall.get("steps"), "step", "brand").get("dependsOn").get(0).asText())
        .isEqualTo("product");
    assertThat(named(waterfall.get("steps"), "step", "reviews").get("outcome").asText())
        .isEqualTo("degraded");

    JsonNode rejected = admin("/admin/rejected-reload").get("rejected");
    assertThat(rejected.get("servingVersion").asText()).isEqualTo(gw.gateway.plan().version());
    assertThat(rejected.get("errors").get(0).get("text").asText())
        .contains("medley.yaml:", "upstreams.brands.timout", "unknown key 'timout'");

    HttpResponse<String> explained =
        gw.request(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gw.gateway.adminPort() + "/admin/explain"))
                .header("Authorization", "Bearer " + token)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"method\":\"GET\",\"path\":\"/web/p/2\"}")));
    assertThat(explained.statusCode()).as(explained.body()).isEqualTo(200);
    JsonNode x = Json.MAPPER.readTree(explained.body());
    assertThat(x.get("status").asInt()).isEqualTo(200);
    assertThat(x.get("body").get("brand").asText()).isEqualTo("Greyfell");
    assertThat(
            named(x.get("explain").get("steps"), "step", "brand").get("dependsOn").get(0).asText())
        .isEqualTo("product");

    // Data needs the token; the page itself does not (it holds none and asks for it).
    assertThat(gw.admin("/admin/upstreams", null).statusCode()).isEqualTo(401);
    assertThat(gw.admin("/admin/explain", "wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> page = gw.admin("/dashboard", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("script-src 'self'");
    assertThat(page.body())
        .contains("<script src=\"/dashboard/app.js\"")
        .doesNotContain("http://", "https://");
  }

  @Test
  void chromiumRendersGraphsHealthTrafficRequestsWaterfallsAndTheRejectedReload() throws Exception {
    startWithTraffic();
    String requestId =
        named(admin("/admin/requests").get("requests"), "route", "/web/p/{id}")
            .get("requestId")
            .asText();
    String url =
        "http://127.0.0.1:"
            + gw.gateway.adminPort()
            + "/dashboard#token="
            + token
            + "&request="
            + requestId
            + "&explain=GET%20/web/p/2";

    String dom = Chromium.dumpDom(url, dir.resolve("chromium-dom"));

    assertThat(dom).contains("data-ready=\"true\"");
    // The step graph: product and reviews start together, brand waits for product.
    String card = between(dom, "data-route=\"web GET /web/p/{id}\"", "data-route=");
    assertThat(between(card, "data-wave=\"0\"", "data-wave=\"1\""))
        .contains("data-step=\"product\"", "data-step=\"reviews\"")
        .doesNotContain("data-step=\"brand\"");
    assertThat(between(card, "data-wave=\"1\"", "</section>"))
        .contains("data-step=\"brand\"", "data-after=\"product\"");
    // Upstream health over the last minute.
    String reviews = between(dom, "data-upstream=\"reviews\"", "</tr>");
    assertThat(reviews).contains("data-breaker=\"closed\"", "data-error-rate=\"1\"", "100.0%");
    // Cache hit ratio and 429s.
    assertThat(between(dom, "data-cache=\"response\"", "</div></div>")).contains("66.7%");
    assertThat(dom).contains("data-rate-limited=\"2\"");
    // Sampled requests, and the rejected reload with its located error.
    assertThat(count(dom, "data-request-id="))
        .isGreaterThanOrEqualTo(9); // and the explained one, once polled
    assertThat(between(dom, "id=\"reload-errors\"", "</ul>"))
        .contains("upstreams.brands.timout", "unknown key 'timout'");
    // The waterfall: the deep link opened one sampled request, then explained GET /web/p/2.
    String waterfall = between(dom, "id=\"waterfall\"", "</section>");
    assertThat(waterfall)
        .contains(
            "explained GET /web/p/2 → 200",
            "data-step=\"brand\" data-outcome=\"ok\"",
            "data-step=\"reviews\" data-outcome=\"degraded\"",
            "after product",
            "Greyfell");

    Path shot = Path.of("target", "dashboard.png");
    Chromium.screenshot(url, shot, dir.resolve("chromium-shot"));
    assertThat(Files.size(shot)).as("screenshot " + shot.toAbsolutePath()).isGreaterThan(10_000);
  }

  @Test
  void withoutATokenThePageAsksForOneAndShowsNoData() throws Exception {
    startWithTraffic();
    String dom =
        Chromium.dumpDom(
            "http://127.0.0.1:" + gw.gateway.adminPort() + "/dashboard", dir.resolve("chromium"));
    assertThat(between(dom, "<section id=\"login\"", ">")).doesNotContain("hidden");
    assertThat(dom).doesNotContain("data-upstream=", "data-request-id=");
  }

  /** The text after the first {@code from} up to the next {@code to} (or the end). */
  private static String between(String text, String from, String to) {
    int i = text.indexOf(from);
    assertThat(i).as("%s in the DOM:%n%s", from, text).isNotNegative();
    int j = text.indexOf(to, i + from.length());
    return text.substring(i, j < 0 ? text.length() : j);
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /**
   * Headless Chromium in a child process: loopback only, a fresh profile, bounded, stopped by PID.
   */
  static final class Chromium {
    private static final String BINARY = "/usr/bin/chromium";

    static String dumpDom(String url, Path profile) throws Exception {
      Path out = profile.resolveSibling(profile.getFileName() + ".html");
      run(profile, out, "--dump-dom", "--virtual-time-budget=8000", url);
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    static void screenshot(String url, Path png, Path profile) throws Exception {
      Files.createDirectories(png.toAbsolutePath().getParent());
      Files.deleteIfExists(png);
      run(
          profile,
          profile.resolveSibling("screenshot.log"),
          "--screenshot=" + png.toAbsolutePath(),
          "--window-size=1280,2200",
          "--hide-scrollbars",
          "--virtual-time-budget=8000",
          url);
    }

    private static void run(Path profile, Path stdout, String... args) throws Exception {
      assertThat(Path.of(BINARY)).as("chromium is installed (.ci/run installs it)").exists();
      Files.createDirectories(profile);
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  BINARY,
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-quic",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  "--user-data-dir=" + profile));
      cmd.addAll(List.of(args));
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(stdout.toFile())
              .redirectError(profile.resolveSibling(profile.getFileName() + ".err").toFile())
              .start();
      try {
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished within 90 s").isTrue();
        assertThat(p.exitValue()).as("chromium's exit status").isZero();
      } finally {
        if (p.isAlive()) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // only the process this test started
        }
      }
    }
  }
}
