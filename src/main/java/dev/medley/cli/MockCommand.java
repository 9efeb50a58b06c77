package dev.medley.cli;

import dev.medley.config.Units;
import dev.medley.devtools.Mock;
import dev.medley.gateway.ConfigSource;
import dev.medley.gateway.Gateway;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medley mock -c FILE}: serves every route of a config with the upstreams answered from the
 * steps' {@code example}s, no upstream running; optional latency and failure injection.
 */
@Command(
    name = "mock",
    description = "Serve every route from the steps' declared examples, with no upstream running.")
final class MockCommand implements Callable<Integer> {
  @Mixin ServeOptions serve;

  @Option(
      names = "--latency",
      paramLabel = "DURATION",
      defaultValue = "0ms",
      description = "added to every upstream answer, e.g. 150ms (default: ${DEFAULT-VALUE})")
  String latency;

  @Option(
      names = "--failure-rate",
      paramLabel = "RATIO",
      defaultValue = "0",
      description =
          "share of upstream calls answered 503 instead, 0 to 1 (default: ${DEFAULT-VALUE})")
  double failureRate;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "seed for the failure draw, for repeatable runs")
  Long seed;

  @Override
  public Integer call() throws Exception {
    Duration delay = Units.duration(latency);
    if (delay == null) {
      System.err.println("--latency: " + latency + " (expected a duration, e.g. 150ms)");
      return 2;
    }
    if (failureRate < 0 || failureRate > 1) {
      System.err.println("--failure-rate: " + failureRate + " (expected 0 to 1)");
      return 2;
    }
    ConfigSource source = serve.source();
    ConfigSource.Checked checked;
    try {
      checked = source.check(source.readNow());
    } catch (IOException e) {
      System.err.println(source.unreadable(e).format());
      return 1;
    }
    if (!checked.ok()) {
      checked.errors().forEach(e -> System.err.println(e.format()));
      System.err.println("not started: " + checked.errors().size() + " config error(s)");
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    Gateway g;
    try {
      g =
          Mock.start(
                  vertx,
                  checked,
                  delay,
                  failureRate,
                  seed == null ? new Random() : new Random(seed))
              .await();
    } catch (Exception e) {
      System.err.println("not started: " + e.getMessage());
      vertx.close();
      return 1;
    }
    System.out.println(
        "medley mock listening on http://"
            + checked.plan().spec().server().host()
            + ":"
            + g.port()
            + " (admin on port "
            + g.adminPort()
            + ", upstreams answered from examples"
            + (delay.isZero() ? "" : ", latency " + latency)
            + (failureRate > 0 ? ", failure rate " + failureRate : "")
            + ")");
    if (checked.plan().spec().server().admin().token() == null) {
      System.out.println("admin token (generated for this run): " + g.adminToken());
    }
    return Lifecycle.serveUntilStopped(vertx, g, System.out);
  }
}
