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
