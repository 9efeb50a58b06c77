package dev.medley.cli;

import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.time.VertxClock;
import io.vertx.core.Vertx;
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

  @Override
  public Integer call() throws Exception {
    ConfigCheck.Outcome r = ConfigCheck.check(file);
    if (!r.errors().isEmpty()) {
      r.errors().forEach(e -> System.err.println(e.format()));
      System.err.println("not started: " + r.errors().size() + " config error(s)");
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    GatewayOptions options = GatewayOptions.of(r.plan().spec().withPorts(port, adminPort), r.text(), new VertxClock(vertx));
    Gateway g = Gateway.start(vertx, options).await();
    System.out.println("medley listening on http://" + r.plan().spec().server().host() + ":" + g.port()
        + " (admin on port " + g.adminPort() + ", config version " + g.plan().version() + ")");
    if (r.plan().spec().server().admin().token() == null) {
      System.out.println("admin token (generated for this run; set server.admin.token to choose one): " + g.adminToken());
    }
    Lifecycle.awaitShutdown(vertx, g);
    return 0;
  }
}
