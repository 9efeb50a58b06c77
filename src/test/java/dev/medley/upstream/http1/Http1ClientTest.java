package dev.medley.upstream.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.time.VertxClock;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lean HTTP/1.1 client on its own, against real sockets: the connection cap across event loops,
 * connections the upstream closes, and answers HTTP allows but Vert.x's client hid from us.
 */
class Http1ClientTest {
  private Vertx vertx;
  private FakeUpstream up;
  private Http1Client client;

  @BeforeEach
  void start() {
    vertx = Harness.vertx(new VertxOptions().setEventLoopPoolSize(4));
    up = FakeUpstream.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    up.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Http1Client client(int maxConnections) {
    return client(maxConnections, 60);
  }

  private Http1Client client(int maxConnections, int keepAliveSeconds) {
    client =
        new Http1Client(
            vertx, new Http1Client.Settings("a", maxConnections, 1 << 20, 5_000, keepAliveSeconds));
    return client;
  }

  /** Sends from {@code ctx}, as a request handled on that event loop would. */
  private Future<UpstreamResponse> sendFrom(
      ContextInternal ctx, String host, int port, String uri) {
    return sendFrom(ctx, "GET", host, port, uri);
  }

  private Future<UpstreamResponse> sendFrom(
      ContextInternal ctx, String method, String host, int port, String uri) {
    Promise<UpstreamResponse> p = Promise.promise();
    ctx.runOnContext(
        v ->
            client
                .send(
                    host + ':' + port,
                    host,
                    port,
                    method,
                    uri,
                    Http1Client.headers(),
                    null,
                    new VertxClock(vertx),
                    Duration.ofSeconds(10),
                    UpstreamException.Kind.TIMEOUT)
                .onComplete(p));
    return p.future();
  }

  private static UpstreamResponse await(Future<UpstreamResponse> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  @Test
  void connectionCapHoldsAcrossEventLoopsAndEveryWaitingCallIsServed() throws Exception {
    client(2);
    up.on("/items", up.stall());
    VertxInternal vi = (VertxInternal) vertx;
    ContextInternal first = vi.createEventLoopContext();
    ContextInternal second = vi.createEventLoopContext();
    assertThat(first.nettyEventLoop()).isNotSameAs(second.nettyEventLoop());
    List<Future<UpstreamResponse>> calls = new ArrayList<>();
    // The first loop takes both connections; the second loop's calls can only get one when the
    // first loop gives one up, which it does once its own queue is empty.
    for (int i = 0; i < 3; i++) {
      calls.add(sendFrom(first, "127.0.0.1", up.port(), "/items/a" + i));
    }
    up.awaitRequests(2);
    for (int i = 0; i < 3; i++) {
      calls.add(sendFrom(second, "127.0.0.1", up.port(), "/items/b" + i));
    }
    up.releaseStalled("{}");
    for (int answered = 2; answered < 6; answered += 2) {
      up.awaitRequests(2);
      up.releaseStalled("{}");
    }
    for (Future<UpstreamResponse> c : calls) {
      assertThat(await(c).status()).isEqualTo(200);
    }
    Endpoint e = client.endpoint("127.0.0.1", up.port());
    assertThat(e.peakConnections())
        .as("never more than maxConnections open, both loops together")
        .isEqualTo(2);
    assertThat(up.count("/items/b")).isEqualTo(3);
  }

  @Test
  void keptAliveConnectionIsReusedButNotAfterTheUpstreamSaysClose() throws Exception {
    client(4);
    up.on("/keep", FakeUpstream.json("{}"));
    up.on("/close", (req, body) -> req.response().putHeader("connection", "close").end("{}"));
    ContextInternal ctx = ((VertxInternal) vertx).createEventLoopContext();
    for (int i = 0; i < 3; i++) {
      assertThat(await(sendFrom(ctx, "127.0.0.1", up.port(), "/keep")).status()).isEqualTo(200);
    }
    assertThat(up.acceptedConnections()).as("three calls, one kept-alive connection").isEqualTo(1);
    assertThat(await(sendFrom(ctx, "127.0.0.1", up.port(), "/close")).status()).isEqualTo(200);
    assertThat(await(sendFrom(ctx, "127.0.0.1", up.port(), "/keep")).status()).isEqualTo(200);
    assertThat(up.acceptedConnections())
        .as("a new connection after Connection: close")
        .isEqualTo(2);
  }

  @Test
  void interimAnswerBeforeTheRealOneIsSkipped() throws Exception {
    client(1);
    NetServer raw =
        vertx
            .createNetServer()
            .connectHandler(
                so ->
                    so.handler(
                        bytes ->
                            so.write(
                                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}")));
    int port = raw.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    UpstreamResponse r =
        await(sendFrom(((VertxInternal) vertx).createEventLoopContext(), "127.0.0.1", port, "/x"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().toString()).isEqualTo("{\"ok\":true}");
    raw.close();
  }

  @Test
  void requestHeadersReachTheUpstreamWithHostAndNoBodyLengthOnGet() throws Exception {
    client(1);
    up.on("/h", FakeUpstream.json("{}"));
    Promise<UpstreamResponse> p = Promise.promise();
    ContextInternal ctx = ((VertxInternal) vertx).createEventLoopContext();
    ctx.runOnContext(
        v ->
            client
                .send(
                    "127.0.0.1:" + up.port(),
                    "127.0.0.1",
                    up.port(),
                    "GET",
                    "/h?q=1",
                    Http1Client.headers().add("x-one", "1").add("accept", "application/json"),
                    null,
                    new VertxClock(vertx),
                    Duration.ofSeconds(10),
                    UpstreamException.Kind.TIMEOUT)
                .onComplete(p));
    assertThat(await(p.future()).status()).isEqualTo(200);
    FakeUpstream.Received got = up.received().get(0);
    assertThat(got.uri()).isEqualTo("/h?q=1");
    assertThat(got.headers().get("x-one")).isEqualTo("1");
    assertThat(got.headers().get("host")).isEqualTo("127.0.0.1:" + up.port());
    assertThat(got.headers().contains("content-length")).isFalse();
    Set<String> names = new HashSet<>(got.headers().names());
    assertThat(names).doesNotContain("transfer-encoding");
  }

  @Test
  void answerToHeadHasNoBodyAndTheConnectionCarriesTheNextCall() throws Exception {
    client(1);
    up.on("/h", FakeUpstream.json("{\"size\":\"not sent for HEAD\"}"));
    ContextInternal ctx = ((VertxInternal) vertx).createEventLoopContext();
    UpstreamResponse head = await(sendFrom(ctx, "HEAD", "127.0.0.1", up.port(), "/h"));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body().length()).isZero();
    UpstreamResponse get = await(sendFrom(ctx, "127.0.0.1", up.port(), "/h"));
    assertThat(get.body().toString()).contains("not sent for HEAD");
    assertThat(up.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void connectionIdleForTheKeepAliveTimeoutIsClosed() throws Exception {
    client(2, 1); // one second: the one real-time wait in this class
    up.on("/i", FakeUpstream.json("{}"));
    assertThat(
            await(
                    sendFrom(
                        ((VertxInternal) vertx).createEventLoopContext(),
                        "127.0.0.1",
                        up.port(),
                        "/i"))
                .status())
        .isEqualTo(200);
    assertThat(up.openConnections()).isEqualTo(1);
    up.awaitOpenConnectionsAtMost(0);
    assertThat(client.endpoint("127.0.0.1", up.port()).openConnections()).isZero();
  }
}
