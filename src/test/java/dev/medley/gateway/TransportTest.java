package dev.medley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.Warmup;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway, the lean upstream client and the listeners on each Netty transport {@code medley
 * run} offers ({@code auto} picks epoll on Linux x86-64, NIO elsewhere): each must compose a page
 * and keep its upstream connection alive. A transport this machine cannot load is skipped.
 */
class TransportTest {
  private static final String YAML =
      """
      version: 1
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          routes:
            GET /p/{id}:
              steps:
                item: { upstream: a, path: "/items/{id}" }
                more: { upstream: a, path: "/more/{item.id}" }
              response: { id: item.id, more: more.n }
      """;

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void composedPageIsServedOverKeptAliveConnections(String name) throws Exception {
    Transport transport = Transports.choose(name);
    assumeTrue(
        transport.available(),
        () -> name + " is not available here: " + transport.unavailabilityCause());
    Warmup.once();
    Vertx vertx = Transports.vertx(new VertxOptions(), transport);
    try (FakeUpstream a = FakeUpstream.start(vertx)) {
      assertThat(vertx.isNativeTransportEnabled()).isEqualTo(transport != Transport.NIO);
      a.on("/items", FakeUpstream.json("{\"id\":7}"));
      a.on("/more", FakeUpstream.json("{\"n\":3}"));
      try (Harness gw = Harness.start(vertx, YAML, Map.of("A", a.url()), new ManualClock())) {
        for (int i = 0; i < 3; i++) {
          HttpResponse<String> r = gw.get("/p/" + i);
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.body()).isEqualTo("{\"id\":7,\"more\":3}");
        }
      }
      assertThat(a.count("/")).isEqualTo(6);
      assertThat(a.acceptedConnections())
          .as("six sequential calls over one kept-alive connection")
          .isEqualTo(1);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "AUTO", "epoll", "nio"})
  void everyDocumentedNameChoosesATransport(String name) {
    assertThat(Transports.choose(name)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "io_uring", "kqueue"})
  void unknownNamesChooseNothing(String name) {
    assertThat(Transports.choose(name)).isNull();
  }
}
