package dev.medley.cli;

import dev.medley.demo.Demo;
import dev.medley.demo.DemoUpstreams;
import dev.medley.gateway.Transports;
import dev.medley.time.VertxClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medley demo}: the demo services and the gateway in one process. */
@Command(
    name = "demo",
    description = "Start the demo services and a gateway serving the demo routes.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "public port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--admin-port",
      defaultValue = "9090",
      paramLabel = "PORT",
      description = "admin port (default: ${DEFAULT-VALUE})")
  int adminPort;

  @Option(
      names = "--free-service-ports",
      description =
          "start the five demo services on free ports instead of 9101-9105 (when those are taken)")
  boolean freeServicePorts;

  @Option(
      names = "--service-port",
      paramLabel = "SERVICE=PORT",
      description =
          "the port of one demo service (product, pricing, inventory, reviews, catalog); repeatable")
  Map<String, Integer> servicePorts = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Transports.vertx(new VertxOptions(), Transports.choose("auto"));
    Map<String, Integer> ports = new HashMap<>();
    if (freeServicePorts) {
      DemoUpstreams.SERVICES.forEach(s -> ports.put(s, 0));
    }
    ports.putAll(servicePorts);
    Demo demo;
    try {
      demo =
          Demo.start(
                  vertx,
                  new VertxClock(vertx),
                  port,
                  adminPort,
                  ports,
                  Math.max(1, Runtime.getRuntime().availableProcessors()))
              .await();
    } catch (Exception e) {
      System.err.println("demo not started: " + e.getMessage());
      vertx.close();
      return 1;
    }
    int p = demo.gateway().port();
    int a = demo.gateway().adminPort();
    String token = demo.gateway().adminToken();
    System.out.println(
        """
        Medley demo is running.

          Web product page (rich):     curl -s http://127.0.0.1:%1$d/web/v2/products/1
          Mobile product page (compact): curl -s http://127.0.0.1:%1$d/mobile/products/1
          A product without a sale price: curl -s http://127.0.0.1:%1$d/mobile/products/3
          A bad id (400 problem+json):  curl -si http://127.0.0.1:%1$d/web/v2/products/abc

        Admin token (generated for this run): %3$s
        Dashboard (the token rides in the link's fragment, never sent to a server):
          http://127.0.0.1:%2$d/dashboard#token=%3$s

        Break a service and watch the page degrade (modes: down, slow, error, ok):
          curl -s -X POST -H 'Authorization: Bearer %3$s' 'http://127.0.0.1:%2$d/demo/faults/reviews?mode=down'
          curl -si http://127.0.0.1:%1$d/web/v2/products/1     # 200, reviews defaulted, _partial
          curl -s -X POST -H 'Authorization: Bearer %3$s' 'http://127.0.0.1:%2$d/demo/faults/product?mode=down'
          curl -si http://127.0.0.1:%1$d/web/v2/products/1     # 502 problem+json
          curl -s -X POST -H 'Authorization: Bearer %3$s' 'http://127.0.0.1:%2$d/demo/faults/product?mode=ok'

        Health: http://127.0.0.1:%2$d/health/ready      Stop with Ctrl-C.
        """
            .formatted(p, a, token));
    // Closing Vert.x at the end of the shutdown also stops the demo services.
    return Lifecycle.serveUntilStopped(vertx, demo.gateway(), System.out);
  }
}
