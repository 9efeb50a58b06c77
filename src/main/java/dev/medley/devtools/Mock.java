package dev.medley.devtools;

import dev.medley.gateway.ConfigSource;
import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.time.VertxClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * {@code medley mock}: the config's gateway with every upstream call answered from the steps'
 * declared {@code example}s, so a frontend can start before its backends exist. Everything else —
 * routes, parameter checks, auth, shapes, fallbacks, problem answers — is the real gateway.
 */
public final class Mock {
  private Mock() {}

  /**
   * Starts the mock of a checked config.
   *
   * @param latency added to every upstream answer (0 for none)
   * @param failureRate the share of upstream calls answered 503 instead, 0 to 1
   */
  public static Future<Gateway> start(
      Vertx vertx,
      ConfigSource.Checked checked,
      Duration latency,
      double failureRate,
      RandomGenerator random) {
    VertxClock clock = new VertxClock(vertx);
    FakeUpstreams fakes =
        new FakeUpstreams(
            clock, new MockAnswers(checked.plan().spec(), latency, failureRate, random));
    GatewayOptions options =
        GatewayOptions.of(checked.plan().spec(), checked.text(), clock)
            .withInstances(1) // a development server: one event loop is plenty
            .withTransport(fakes);
    return Gateway.start(vertx, options, checked.plan());
  }
}
