package dev.medley.testing;

import dev.medley.config.ConfigException;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.gateway.Transports;
import dev.medley.time.Clock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Starts a real gateway from YAML text on an ephemeral port (upstream URLs injected as {@code
 * ${env:NAME}}) and sends it real HTTP requests.
 */
public final class Harness implements AutoCloseable {
  public final Vertx vertx;
  public final Gateway gateway;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Harness(Vertx vertx, Gateway gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
  }

  /**
   * A Vert.x whose blocked-thread checker complains after 1 s (catches blocking calls; tighter
   * limits gave false alarms from class loading on a busy 2-core machine).
   */
  public static Vertx vertx() {
    Warmup.once();
    return vertx(1000);
  }

  /**
   * The transport every test Vert.x runs on: the one {@code medley run} picks by default (io_uring,
   * else epoll, on Linux x86-64), so the tests exercise what production runs, or the one the system
   * property {@code medley.transport} names ({@code ./mvnw verify -Dmedley.transport=io_uring} runs
   * the whole suite on io_uring). A named transport this machine cannot run fails the test loudly
   * rather than running it on another one.
   */
  public static Transport transport() {
    String name = Transports.defaultName();
    String refused = Transports.unavailable(name);
    if (refused != null) {
      throw new IllegalStateException("-D" + Transports.PROPERTY + ": " + refused);
    }
    return Transports.choose(name);
  }

  /** A Vert.x with {@code options} on {@link #transport()} (no stricter blocked-thread checker). */
  public static Vertx vertx(VertxOptions options) {
    return Transports.vertx(options, transport());
  }

  /**
   * A Vert.x whose blocked-thread checker complains after {@code limitMillis}, on {@link
   * #transport()}.
   */
  public static Vertx vertx(long limitMillis) {
    return vertx(
        new VertxOptions()
            .setBlockedThreadCheckInterval(100)
            .setMaxEventLoopExecuteTime(limitMillis)
            .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
            // ...and attaches the blocked thread's stack, which BlockedThreads keeps, so a failure
            // shows the culprit.
            .setWarningExceptionTime(limitMillis)
            .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
  }

  /**
   * Back-off jitter that always draws zero, so retries in tests go at once (unless a test moves the
   * clock for a Retry-After) and nothing depends on chance. Tests of jitter pass their own source.
   */
  public static final RandomGenerator NO_JITTER = () -> 0L;

  public static Harness start(Vertx vertx, String yaml, Map<String, String> env, Clock clock) {
    return start(vertx, yaml, env, clock, UnaryOperator.identity());
  }

  /**
   * As {@link #start(Vertx, String, Map, Clock)}, with the gateway options adjusted by {@code
   * options}.
   */
  public static Harness start(
      Vertx vertx,
      String yaml,
      Map<String, String> env,
      Clock clock,
      UnaryOperator<GatewayOptions> options) {
    ConfigLoader.Result r = new ConfigLoader(Env.of(env)).parse(yaml, "test.yaml");
    if (!r.ok()) {
      throw new AssertionError(new ConfigException(r.errors()).getMessage());
    }
    try {
      GatewayOptions o =
          GatewayOptions.of(r.spec().withPorts(0, 0), yaml, clock)
              .withInstances(1)
              .withRandom(NO_JITTER);
      Gateway g = Gateway.start(vertx, options.apply(o)).await(20, TimeUnit.SECONDS);
      return new Harness(vertx, g);
    } catch (Exception e) {
      throw new AssertionError("gateway did not start: " + e.getMessage(), e);
    }
  }

  /**
   * Starts a gateway from a config file that it can reload (and watch); upstream URLs and the admin
   * token come from {@code env}.
   */
  public static Harness startFile(
      Vertx vertx, java.nio.file.Path file, Map<String, String> env, Clock clock) {
    dev.medley.gateway.ConfigSource source =
        new dev.medley.gateway.ConfigSource(file, Env.of(env), 0, 0);
    try {
      dev.medley.gateway.ConfigSource.Checked c =
          source.check(source.readNow()); // a file or a folder config
      String text = c.text();
      if (!c.ok()) {
        throw new AssertionError(new ConfigException(c.errors()).getMessage());
      }
      Gateway g =
          Gateway.start(
                  vertx,
                  GatewayOptions.of(c.plan().spec(), text, clock)
                      .withInstances(1)
                      .withSource(source))
              .await(20, TimeUnit.SECONDS);
      return new Harness(vertx, g);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("gateway did not start: " + e.getMessage(), e);
    }
  }

  /** A request to the admin port, with {@code token} as bearer token when not null. */
  public HttpResponse<String> admin(String method, String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    return request(b);
  }

  public String base() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public HttpResponse<String> get(String path) {
    return await(getAsync(path));
  }

  public CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
  }

  public CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder b) {
    return http.sendAsync(
        b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> request(HttpRequest.Builder b) {
    return await(send(b));
  }

  /**
   * A GET to the admin port, with {@code Authorization: Bearer <token>} when the token is not null.
   */
  public HttpResponse<String> admin(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return request(b);
  }

  public URI uri(String path) {
    return URI.create(base() + path);
  }

  public static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      gateway.close().await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Teardown continues with closing Vert.x.
    }
  }
}
