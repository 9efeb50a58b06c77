package dev.medley.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigFolder;
import dev.medley.config.Env;
import dev.medley.config.ExperienceSpec;
import dev.medley.config.ParamSpec;
import dev.medley.config.RouteSpec;
import dev.medley.gateway.ConfigSource;
import dev.medley.gateway.Gateway;
import dev.medley.testing.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code medley mock} answers every route of every docs example with no upstream running: no answer
 * is an upstream failure (502, 503, 504), routes without auth answer 200, and routes with auth (a
 * route's own mode, else its experience's, else the config's default) refuse an anonymous caller
 * with 401 before any upstream would be called.
 */
class MockTest {
  private static final Map<String, String> ENV =
      Map.of(
          "MEDLEY_ADMIN_TOKEN",
          "docs-test-token",
          "PARTNER_JWT_SECRET",
          "docs-test-hmac-secret-of-at-least-32-bytes");
  private static final List<String> SAMPLES =
      List.of("1", "42", "abc", "a1", "en-US", "v1", "true");

  @Test
  void answersEveryRouteOfEveryDocsExampleWithNoUpstreamRunning() throws Exception {
    List<Path> configs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("docs/examples"))) {
      files
          .sorted()
          .filter(
              p -> Files.isDirectory(p) || ConfigFolder.isConfigName(p.getFileName().toString()))
          .forEach(configs::add);
    }
    Vertx vertx = Harness.vertx(new VertxOptions());
    int routes = 0;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      for (Path config : configs) {
        ConfigSource source = new ConfigSource(config, Env.of(ENV), 0, 0);
        ConfigSource.Checked checked = source.check(source.readNow());
        assertThat(checked.errors()).as(config.toString()).isEmpty();
        Gateway g =
            Mock.start(vertx, checked, Duration.ZERO, 0, new Random(1)).await(20, TimeUnit.SECONDS);
        try {
          String defaultAuth = checked.plan().spec().auth().defaultMode();
          for (ExperienceSpec e : checked.plan().spec().experiences().values()) {
            for (RouteSpec r : e.routes()) {
              String path = e.basePath() + sample(r);
              HttpResponse<String> answer =
                  http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
                          .timeout(Duration.ofSeconds(20))
                          .header("content-type", contentType(r))
                          .method(
                              r.method(),
                              r.method().equals("GET")
                                  ? HttpRequest.BodyPublishers.noBody()
                                  : HttpRequest.BodyPublishers.ofString(body(r)))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              String label =
                  config
                      + " "
                      + r.method()
                      + " "
                      + path
                      + " -> "
                      + answer.statusCode()
                      + " "
                      + answer.body();
              assertThat(answer.statusCode()).as(label).isLessThan(500);
              String auth =
                  r.access().auth() != null
                      ? r.access().auth()
                      : e.access().auth() != null ? e.access().auth() : defaultAuth;
              if (!"none".equals(auth)) {
                assertThat(answer.statusCode()).as(label).isEqualTo(401);
              } else {
                assertThat(answer.statusCode()).as(label).isEqualTo(200);
              }
              routes++;
            }
          }
        } finally {
          g.close().await(20, TimeUnit.SECONDS);
        }
      }
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
    assertThat(routes).isGreaterThanOrEqualTo(10);
  }

  /** The first body kind the route accepts (JSON without {@code requestBody:}). */
  private static String kind(RouteSpec r) {
    return r.requestBody() == null ? "json" : r.requestBody().accept().get(0);
  }

  private static String contentType(RouteSpec r) {
    return switch (kind(r)) {
      case "form" -> "application/x-www-form-urlencoded";
      case "text" -> "text/plain";
      case "bytes" -> "application/octet-stream";
      default -> "application/json";
    };
  }

  private static String body(RouteSpec r) {
    return switch (kind(r)) {
      case "form" -> "ids=1&email=a%40example.com";
      case "text", "bytes" -> "ids 1";
      default -> "{\"ids\":[1]}";
    };
  }

  /** The route's path with each parameter replaced by a value its type and pattern accept. */
  private static String sample(RouteSpec r) {
    String path = r.path();
    for (ParamSpec p : r.params().values()) {
      path = path.replace("{" + p.name() + "}", value(p));
    }
    StringBuilder query = new StringBuilder();
    for (ParamSpec q : r.query().values()) {
      if (q.required() && q.defaultValue() == null) {
        query.append(query.isEmpty() ? "?" : "&").append(q.name()).append('=').append(value(q));
      }
    }
    return path + query;
  }

  private static String value(ParamSpec p) {
    for (String s : SAMPLES) {
      boolean typed =
          switch (p.type()) {
            case "integer", "number" -> s.matches("\\d+");
            case "boolean" -> s.equals("true");
            default -> true;
          };
      if (typed
          && (p.pattern() == null
              || java.util.regex.Pattern.compile(p.pattern()).matcher(s).find())) {
        return s;
      }
    }
    return "1";
  }
}
