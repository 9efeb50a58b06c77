package dev.medley.cli;

import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.time.VertxClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medley run -c FILE}: serve a config until stopped. */
@Command(name = "run", description = "Serve the routes of a config file.")
final class RunCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config")
  Path file;

  @Option(names = "--port", paramLabel = "PORT", description = "public port (overrides server.port)")
  Integer port;

  @Option(names = "--admin-port", paramLabel = "PORT", description = "admin port (overrides server.admin.port)")
  Integer adminPort;

  @Option(names = "--event-loops", paramLabel = "N",
      description = "event loops serving the public port (default: one per CPU core)")
  Integer eventLoops;

  @Override
  public Integer call() throws Exception {
    ConfigCheck.Outcome r = ConfigCheck.check(file);
    if (!r.errors().isEmpty()) {
      r.errors().forEach(e -> System.err.println(e.format()));
      System.err.println("not started: " + r.errors().size() + " config error(s)");
      return 1;
    }
    // Netty's native epoll transport when it loads (Linux x86-64), else NIO: see docs/performance.md.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    GatewayOptions options = GatewayOptions.of(r.plan().spec().withPorts(port, adminPort), r.text(), new VertxClock(vertx));
    if (eventLoops != null) {
      if (eventLoops < 1) {
        System.err.println("--event-loops: " + eventLoops + " (expected 1 or more)");
        return 2;
      }
      options = options.withInstances(eventLoops);
    }
    Gateway g = Gateway.start(vertx, options).await();
    System.out.println("medley listening on http://" + r.plan().spec().server().host() + ":" + g.port()
        + " (admin on port " + g.adminPort() + ", config version " + g.plan().version() + ")");
    Lifecycle.awaitShutdown(vertx, g);
    return 0;
  }
}
