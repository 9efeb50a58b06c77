package dev.medley;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.gateway.GatewayOptions;
import dev.medley.testing.BlockedThreads;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.Warmup;
import dev.medley.time.Clock;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
    Warmup.once();
    BlockedThreads.reset();
    vertx = Harness.vertx(blockedThreadLimitMillis());
    clock = new ManualClock();
    a = FakeUpstream.start(vertx);
    b = FakeUpstream.start(vertx);
    c = FakeUpstream.start(vertx);
  }

  /**
   * How long an event loop may run one task before the test fails as "blocked" (see {@link
   * Harness#vertx()}).
   */
  protected long blockedThreadLimitMillis() {
    return 1000;
  }

  protected Harness start(String yaml) {
    return start(yaml, clock);
  }

  protected Harness start(String yaml, Clock time) {
    return start(yaml, time, UnaryOperator.identity());
  }

  /** Starts with the gateway options adjusted by {@code customize} (hooks, extra filters). */
  protected Harness start(String yaml, UnaryOperator<GatewayOptions> customize) {
    return start(yaml, clock, customize);
  }

  /**
   * Starts the gateway with its options adjusted, e.g. a jitter source or a stale-if-error hook.
   */
  protected Harness start(String yaml, Clock time, UnaryOperator<GatewayOptions> options) {
    gw = Harness.start(vertx, yaml, env(), time, options);
    return gw;
  }

  /**
   * Starts from a config file the gateway can reload and watch; {@code ${env:ADMIN_TOKEN}} is
   * {@link #ADMIN_TOKEN}.
   */
  protected Harness startFile(java.nio.file.Path file) {
    gw = Harness.startFile(vertx, file, env(), clock);
    return gw;
  }

  /** The admin token {@code ${env:ADMIN_TOKEN}} resolves to. */
  protected static final String ADMIN_TOKEN = "test-admin-token";

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("A", a.url());
    env.put("B", b.url());
    env.put("C", c.url());
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    return env;
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
