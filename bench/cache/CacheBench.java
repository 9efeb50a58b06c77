import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.demo.Demo;
import dev.medley.demo.DemoUpstreams;
import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.time.VertxClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cached vs uncached throughput of the demo product page, and the bytes compression saves.
 *
 * <p>Starts the five demo services and two gateways on 127.0.0.1 (ephemeral ports): one with the
 * bundled demo config, one with the same config plus {@code cache:} on the web product page. A
 * closed loop of CONNS keep-alive connections asks for products 1..50 (every demo product) in turn, WARMUP seconds
 * unmeasured then DURATION seconds measured, against each gateway. Everything stops by itself.
 *
 * <p>Run with bench/cache/run.sh. Knobs (system properties): conns=32, warmup=3, duration=8.
 */
public final class CacheBench {
  private static final String PAGE = "/web/v2/products/";
  /** The demo has products 1 to 50. */
  private static final int PRODUCTS = 50;
  private static final String ROUTE_KEY = "      GET /v2/products/{id}:\n";
  private static final String CACHE = "        cache: { ttl: 60s, tags: [\"product:{id}\"] }\n";

  public static void main(String[] args) throws Exception {
    int conns = Integer.getInteger("conns", 32);
    int warmup = Integer.getInteger("warmup", 3);
    int duration = Integer.getInteger("duration", 8);
    Vertx vertx = Vertx.vertx();
    try {
      DemoUpstreams ups = DemoUpstreams.start(vertx, zeroPorts()).await(20, TimeUnit.SECONDS);
      Map<String, String> env = new HashMap<>();
      ups.ports().forEach((s, p) -> env.put("DEMO_" + s.toUpperCase(Locale.ROOT) + "_URL", "http://127.0.0.1:" + p));
      String plain = Demo.configText();
      if (!plain.contains(ROUTE_KEY)) {
        throw new IllegalStateException("the demo config no longer has the web product page route");
      }
      String cached = plain.replace(ROUTE_KEY, ROUTE_KEY + CACHE);
      Gateway uncachedGw = start(vertx, plain, env);
      Gateway cachedGw = start(vertx, cached, env);
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(conns));
      System.out.printf("demo product page %s{1..50}, %d connections, %ds warm-up, %ds measured, 127.0.0.1%n",
          PAGE, conns, warmup, duration);
      double uncached = measure(vertx, client, uncachedGw.port(), conns, warmup, duration, "uncached");
      double fromCache = measure(vertx, client, cachedGw.port(), conns, warmup, duration, "cached");
      System.out.printf("cached / uncached: %.1fx%n", fromCache / uncached);
      System.out.printf("cache counters: %s%n", cachedGw.cacheStats());
      compression(client, cachedGw.port(), cachedGw);
      client.close().await(5, TimeUnit.SECONDS);
      uncachedGw.close().await(10, TimeUnit.SECONDS);
      cachedGw.close().await(10, TimeUnit.SECONDS);
      ups.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Map<String, Integer> zeroPorts() {
    Map<String, Integer> ports = new HashMap<>();
    DemoUpstreams.SERVICES.forEach(s -> ports.put(s, 0));
    return ports;
  }

  private static Gateway start(Vertx vertx, String text, Map<String, String> env) throws Exception {
    ConfigLoader.Result r = new ConfigLoader(Env.of(env)).parse(text, "demo/medley-demo.yaml");
    if (!r.ok()) {
      throw new IllegalStateException(r.errors().toString());
    }
    return Gateway.start(vertx, GatewayOptions.of(r.spec().withPorts(0, 0), text, new VertxClock(vertx)).withInstances(1))
        .await(20, TimeUnit.SECONDS);
  }

  /** Requests per second over the measured window; prints a line. */
  private static double measure(Vertx vertx, HttpClient client, int port, int conns, int warmup, int duration, String label)
      throws Exception {
    LongAdder ok = new LongAdder();
    LongAdder failed = new LongAdder();
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
    long end = warmEnd + TimeUnit.SECONDS.toNanos(duration);
    Future<?>[] loops = new Future<?>[conns];
    for (int c = 0; c < conns; c++) {
      Promise<Void> done = Promise.promise();
      loop(client, port, c, warmEnd, end, ok, failed, done);
      loops[c] = done.future();
    }
    Future.all(java.util.List.of(loops)).await(warmup + duration + 30, TimeUnit.SECONDS);
    double rps = ok.sum() / (double) duration;
    System.out.printf("%-9s %10.0f req/s   (%d ok, %d failed)%n", label, rps, ok.sum(), failed.sum());
    return rps;
  }

  private static void loop(HttpClient client, int port, int n, long warmEnd, long end, LongAdder ok, LongAdder failed,
      Promise<Void> done) {
    long now = System.nanoTime();
    if (now >= end) {
      done.complete();
      return;
    }
    int id = n % PRODUCTS + 1;
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(PAGE + id);
    client.request(o).compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
        .onComplete(ar -> {
          if (System.nanoTime() > warmEnd && System.nanoTime() < end) {
            (ar.succeeded() && ar.result() == 200 ? ok : failed).increment();
          }
          loop(client, port, n + 1, warmEnd, end, ok, failed, done);
        });
  }

  /** Bytes of one product page as sent without compression, with gzip and with Brotli. */
  private static void compression(HttpClient client, int port, Gateway gw) throws Exception {
    long identity = 0;
    long gzip = 0;
    long br = 0;
    for (int id = 1; id <= PRODUCTS; id++) {
      identity += size(client, port, id, "identity");
      gzip += size(client, port, id, "gzip");
      br += gw.compressionOffered().contains("br") ? size(client, port, id, "br") : 0;
    }
    System.out.printf("bytes for %d pages: identity %d, gzip %d (%.0f%% saved)", PRODUCTS, identity, gzip, 100.0 * (identity - gzip) / identity);
    if (br > 0) {
      System.out.printf(", br %d (%.0f%% saved)", br, 100.0 * (identity - br) / identity);
    } else {
      System.out.print(", br not available on this platform");
    }
    System.out.println();
  }

  private static long size(HttpClient client, int port, int id, String encoding) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(PAGE + id).putHeader("accept-encoding", encoding);
    return client.request(o).compose(req -> req.send().compose(resp -> resp.body().map(b -> (long) b.length())))
        .await(10, TimeUnit.SECONDS);
  }
}
