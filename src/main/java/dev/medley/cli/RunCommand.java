package dev.medley.cli;

import dev.medley.gateway.ConfigSource;
import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.gateway.Transports;
import dev.medley.time.VertxClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medley run -c FILE}: serve a config until SIGTERM or SIGINT, reloading it when the file
 * changes or on {@code POST /admin/reload}.
 */
@Command(name = "run", description = "Serve the routes of a config file.")
final class RunCommand implements Callable<Integer> {
  @Mixin ServeOptions serve;

  @Option(
      names = "--transport",
      paramLabel = "NAME",
      defaultValue = "${sys:medley.transport:-auto}",
      description =
          "network transport: auto (io_uring where the kernel allows it, else epoll, else nio),"
              + " io_uring, epoll or nio (default: ${DEFAULT-VALUE})")
  String transport;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      description = "event loops serving the public port (default: one per CPU core)")
  Integer eventLoops;

  @Override
  public Integer call() throws Exception {
    ConfigSource source = serve.source();
    ConfigCheck.Outcome r = ConfigCheck.check(source);
    if (!r.errors().isEmpty()) {
      r.errors().forEach(e -> System.err.println(e.format()));
      System.err.println("not started: " + r.errors().size() + " config error(s)");
      return 1;
    }
    if (eventLoops != null && eventLoops < 1) {
      System.err.println("--event-loops: " + eventLoops + " (expected 1 or more)");
      return 2;
    }
    String refused = Transports.unavailable(transport);
    if (refused != null) {
      System.err.println("--transport: " + refused);
      return 2;
    }
    Transport chosen = Transports.choose(transport);
    // Netty's native transports where they load (Linux x86-64): see docs/performance.md.
    Vertx vertx = Transports.vertx(new VertxOptions(), chosen);
    GatewayOptions options =
        GatewayOptions.of(r.plan().spec(), r.text(), new VertxClock(vertx)).withSource(source);
    if (eventLoops != null) {
      options = options.withInstances(eventLoops);
    }
    Gateway g;
    try {
      g =
          Gateway.start(vertx, options, r.plan())
              .await(); // the plan checked above, not compiled again
    } catch (Exception e) {
      System.err.println("not started: " + e.getMessage());
      vertx.close();
      return 1;
    }
    System.out.println(
        "medley listening on http://"
            + r.plan().spec().server().host()
            + ":"
            + g.port()
            + " (admin on port "
            + g.adminPort()
            + ", config version "
            + g.plan().version()
            + ", transport "
            + Transports.label(chosen)
            + ")");
    String passedOver = Transports.passedOver(transport);
    if (passedOver != null) {
      System.out.println("transport auto: " + passedOver);
    }
    if (r.plan().spec().server().admin().token() == null) {
      System.out.println(
          "admin token (generated for this run; set server.admin.token to choose one): "
              + g.adminToken());
    }
    System.out.println(
        "dashboard: http://"
            + r.plan().spec().server().admin().host()
            + ":"
            + g.adminPort()
            + "/dashboard");
    return Lifecycle.serveUntilStopped(vertx, g, System.out);
  }
}
