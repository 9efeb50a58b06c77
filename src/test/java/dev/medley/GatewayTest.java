package dev.medley;

import dev.medley.testing.BlockedThreads;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.time.Clock;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base for end-to-end tests: a Vert.x with a strict blocked-thread checker, fake upstreams on real
 * sockets, a manual clock, and a gateway started from YAML in which {@code ${env:A}} etc. are the
 * fakes' URLs.
 */
public abstract class GatewayTest {
  protected Vertx vertx;
  protected ManualClock clock;
  protected FakeUpstream a;
  protected FakeUpstream b;
  protected FakeUpstream c;
  protected Harness gw;

  private static boolean warmedUp;

  /**
   * Once per test JVM, serves one request through a throwaway gateway so first-use class loading
   * (Jackson, CEL, Netty codecs, caches) happens here and not inside a test, where on a busy machine
   * it could trip the strict blocked-thread check. Its warnings are forgotten before each test.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    if (warmedUp) {
      return;
    }
    warmedUp = true;
    Vertx v = Harness.vertx();
    try (FakeUpstream up = FakeUpstream.start(v)) {
      up.on("/", FakeUpstream.json("{\"name\":\"warm\",\"n\":1,\"ids\":[\"1\"],\"items\":[{\"id\":\"1\"}]}"));
      Harness h = Harness.start(v, """
          version: 1
          upstreams: { u: { url: "${env:U}" } }
          experiences:
            web:
              routes:
                GET /w/{id}:
                  cache: { ttl: 1s, tags: ["w:{id}"] }
                  steps:
                    s: { upstream: u, path: "/w/{id}", cache: { ttl: 1s } }
                    r:
                      upstream: u
                      forEach: s.ids
                      path: "/i/{item}"
                      batch: { path: "/batch", body: { ids: "{items}" }, resultsAt: items, matchOn: id }
                  response: { name: s.name, more: "s.n + 1", r: r }
          """, Map.of("U", up.url()), new ManualClock());
      h.get("/w/1");
      h.get("/w/1");
      h.close();
    } finally {
      v.close().await(10, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void startFakes() {
    BlockedThreads.reset();
    vertx = Harness.vertx();
    clock = new ManualClock();
    a = FakeUpstream.start(vertx);
    b = FakeUpstream.start(vertx);
    c = FakeUpstream.start(vertx);
  }

  protected Harness start(String yaml) {
    return start(yaml, clock);
  }

  protected Harness start(String yaml, Clock time) {
    return start(yaml, time, o -> o);
  }

  /** Starts with the options adjusted by {@code options}, e.g. to add a filter that sets claims. */
  protected Harness start(String yaml, Clock time, java.util.function.UnaryOperator<dev.medley.gateway.GatewayOptions> options) {
    Map<String, String> env = new HashMap<>();
    env.put("A", a.url());
    env.put("B", b.url());
    env.put("C", c.url());
    gw = Harness.start(vertx, yaml, env, time, options);
    return gw;
  }

  @AfterEach
  void stopAll() throws Exception {
    if (gw != null) {
      gw.close();
    }
    a.close();
    b.close();
    c.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    assertThat(BlockedThreads.warnings()).as("event loop blocked").isEmpty();
  }
}
