package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.Eventually;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.RawSockets;
import dev.medley.testing.TcpTable;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lingering close of the public listener on raw sockets: when the gateway answers and then
 * closes (draining after SIGTERM, a refused request), a client that sent more requests behind the
 * answer still reads the whole answer and a clean end of stream, never a reset; what it sent is
 * discarded, never run; and the half-closed connection is closed when the client closes, after 2 s
 * without input, 5 s in all or 64 KiB, on the gateway's clock.
 *
 * <p>Each test waits for what the kernel saw ({@link TcpTable}): the gateway's FIN arriving, then
 * the late request being acknowledged or answered with a reset. A gateway that closes its socket
 * outright resets a request that arrives after its FIN, so these tests fail on a plain close
 * whatever the timing.
 */
class LingeringCloseTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      server:
        shutdownGrace: 20s
        limits: { maxHeaderSize: 1KiB, maxBodySize: 1KiB }
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /p:
              steps:
                p: { upstream: a, path: /p }
            GET /slow:
              steps:
                slow: { upstream: a, path: /slow }
            POST /echo:
              steps:
                e: { upstream: a, path: /echo, method: POST, body: "{body}" }
      """;

  private static final String CL_AND_TE =
      "POST /web/echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
          + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";

  private static final String NEXT = "GET /web/p?next=1 HTTP/1.1\r\nHost: gw\r\n\r\n";

  private Socket open() throws IOException {
    return RawSockets.open(gw.gateway.port());
  }

  private static void send(Socket s, String raw) throws IOException {
    RawSockets.send(s, raw);
  }

  /**
   * Waits until the gateway's FIN has reached the client (the answer is out, the gateway's side is
   * shut): the client has read nothing yet.
   */
  private void awaitFin(Socket s) {
    Eventually.await(
        vertx,
        "the gateway's FIN",
        () -> {
          TcpTable.Entry e = TcpTable.client(s);
          return e == null || e.state() == TcpTable.CLOSE_WAIT;
        });
    assertThat(TcpTable.client(s)).as("the connection was reset, not half-closed").isNotNull();
  }

  /**
   * Sends {@code raw} after the gateway's FIN, as a client that has not read the answer yet does,
   * and waits for the gateway's kernel to acknowledge it or reset the connection: a gateway that
   * closed outright resets it.
   */
  private void sendLate(Socket s, String raw) {
    try {
      send(s, raw);
    } catch (IOException e) {
      throw new AssertionError("the gateway reset the connection: " + e, e);
    }
    Eventually.await(
        vertx,
        "the late bytes acknowledged or refused",
        () -> {
          TcpTable.Entry e = TcpTable.client(s);
          return e == null || e.unacked() == 0;
        });
    assertThat(TcpTable.client(s))
        .as("the gateway reset the connection when the client sent more")
        .isNotNull();
  }

  /** Everything up to the end of stream; fails on a reset, saying what was read before it. */
  private static String readToEof(Socket s) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      InputStream in = s.getInputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw new AssertionError(
          "no clean end of stream (" + e + "); read before it: " + all.toString(), e);
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * The answers in {@code all}, each complete (head and its whole body) and nothing after the last,
   * which says the connection closes.
   */
  private static List<String> answers(String all) {
    List<String> out = new ArrayList<>();
    int at = 0;
    while (at < all.length()) {
      int headEnd = all.indexOf("\r\n\r\n", at);
      assertThat(headEnd).as("a complete head: " + all.substring(at)).isPositive();
      String head = all.substring(at, headEnd + 4);
      assertThat(head).as(all).startsWith("HTTP/1.1 ");
      int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
      assertThat(all.length())
          .as("the whole body: " + all)
          .isGreaterThanOrEqualTo(headEnd + 4 + length);
      out.add(all.substring(at, headEnd + 4 + length));
      at = headEnd + 4 + length;
    }
    assertThat(out).as("at least one answer").isNotEmpty();
    assertThat(out.get(out.size() - 1).toLowerCase()).contains("connection: close");
    return out;
  }

  /** The one answer in {@code all} (see {@link #answers}), with this status: its body. */
  private static String onlyAnswer(String all, int status) {
    List<String> answers = answers(all);
    assertThat(answers).as("exactly one answer").hasSize(1);
    assertThat(answers.get(0)).startsWith("HTTP/1.1 " + status + " ");
    return answers.get(0).substring(answers.get(0).indexOf("\r\n\r\n") + 4);
  }

  private void awaitClosedByGateway() {
    Eventually.await(
        vertx,
        "the gateway to close the connection",
        () -> gw.gateway.openConnections() == 0,
        () -> "open: " + gw.gateway.openConnections());
  }

  @Test
  void drainingAnswerLingersSoRequestsSentBehindItCannotResetIt() throws Exception {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    a.on("/slow", a.stall());
    start(CONFIG);
    Future<Void> stopped;
    try (Socket s = open()) {
      // The second request is pipelined behind the first, in the same segment: read at once, it
      // waits for the first answer, and by then the gateway drains.
      send(
          s,
          "GET /web/slow HTTP/1.1\r\nHost: gw\r\n\r\n"
              + "GET /web/p?second=1 HTTP/1.1\r\nHost: gw\r\n\r\n");
      a.awaitRequests(1);
      stopped = gw.gateway.shutdown();
      a.releaseStalled("{\"done\":true}");

      awaitFin(s);
      sendLate(s, "GET /web/p?third=1 HTTP/1.1\r\nHost: gw\r\n\r\n");
      sendLate(s, "GET /web/p?fourth=1 HTTP/1.1\r\nHost: gw\r\n\r\n");
      List<String> answers = answers(readToEof(s));
      assertThat(answers).hasSize(2);
      assertThat(answers.get(0))
          .startsWith("HTTP/1.1 200 ")
          .containsIgnoringCase("connection: close")
          .endsWith("{\"slow\":{\"done\":true}}");
      assertThat(answers.get(1)).startsWith("HTTP/1.1 503 ").contains("shutting-down");
      assertThat(a.received()).as("only the request in flight reached the upstream").hasSize(1);
      assertThat(gw.gateway.openConnections())
          .as("the lingering connection still counts against maxConnections")
          .isEqualTo(1);
    }
    awaitClosedByGateway();
    stopped.await(10, TimeUnit.SECONDS);
  }

  @Test
  void framingRefusalLingersAndNothingSentBehindItRuns() throws Exception {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG);
    try (Socket s = open()) {
      send(s, CL_AND_TE + NEXT);
      awaitFin(s);
      sendLate(s, NEXT);
      sendLate(s, NEXT);
      assertThat(onlyAnswer(readToEof(s), 400))
          .contains("both Content-Length and Transfer-Encoding");
    }
    awaitClosedByGateway();
    assertThat(a.received()).as("nothing reached the upstream").isEmpty();
  }

  @Test
  void headersTooLargeLingersAndNothingSentBehindItRuns() throws Exception {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG);
    try (Socket s = open()) {
      send(s, "GET /web/p HTTP/1.1\r\nHost: gw\r\nX-Big: " + "x".repeat(2048) + "\r\n\r\n" + NEXT);
      awaitFin(s);
      sendLate(s, NEXT);
      sendLate(s, NEXT);
      assertThat(onlyAnswer(readToEof(s), 431)).contains("headers-too-large");
    }
    awaitClosedByGateway();
    assertThat(a.received()).as("nothing reached the upstream").isEmpty();
  }

  /**
   * A 413 closes its connection once the body is read: a client uploading far more than the limit
   * (and than the linger's 64 KiB) still reads its answer and a clean end, and a request pipelined
   * behind the body never runs.
   */
  @Test
  void bodyTooLargeClosesAfterTheBodyAndNothingSentBehindItRuns() throws Exception {
    a.on("/", FakeUpstream.echo());
    start(CONFIG);
    int size = 300 * 1024;
    try (Socket s = open()) {
      send(
          s,
          "POST /web/echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + size
              + "\r\n\r\n\""
              + "x".repeat(size - 2)
              + "\""
              + NEXT);
      awaitFin(s);
      sendLate(s, NEXT);
      assertThat(onlyAnswer(readToEof(s), 413)).contains("body-too-large");
    }
    awaitClosedByGateway();
    assertThat(a.received()).as("nothing reached the upstream").isEmpty();
  }

  /**
   * A body declared far over the limit is not read to its end: past 1 MiB more after the 413 the
   * connection closes, so a client cannot keep it busy with an endless upload.
   */
  @Test
  void aRefusedBodyIsReadOnlyUpToItsDrainBound() throws Exception {
    start(CONFIG);
    try (Socket s = open()) {
      send(
          s,
          "POST /web/echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
              + "Content-Length: 104857600\r\n\r\n");
      byte[] chunk = new byte[64 * 1024];
      OutputStream out = s.getOutputStream();
      try {
        for (int i = 0; i < 48; i++) { // 3 MiB, three times the bound
          out.write(chunk);
        }
      } catch (IOException closedMeanwhile) {
        // The gateway stopped reading: what it is meant to do.
      }
      awaitClosedByGateway();
    }
  }

  /** A client that declares a large body and then sends nothing more is closed after 5 s. */
  @Test
  void aRefusedBodyIsWaitedForAtMostFiveSeconds() throws Exception {
    start(CONFIG);
    try (Socket s = open()) {
      send(
          s,
          "POST /web/echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
              + "Content-Length: 104857600\r\n\r\n\"xxxx");
      clock.awaitTimerDueIn(EdgeServer.DRAIN_TIME);
      clock.advance(EdgeServer.DRAIN_TIME);
      awaitFin(s);
      clock.awaitTimerDueIn(Duration.ofSeconds(2));
      clock.advance(Duration.ofSeconds(2));
      awaitClosedByGateway();
      assertThat(onlyAnswer(readToEof(s), 413)).contains("body-too-large");
    }
  }

  @Test
  void aLingeringConnectionClosesAfterTwoQuietSecondsAndCountsUntilThen() throws Exception {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG.replace("maxBodySize: 1KiB", "maxBodySize: 1KiB, maxConnections: 1"));
    try (Socket lingering = open()) {
      send(lingering, CL_AND_TE);
      awaitFin(lingering);
      clock.awaitTimerDueIn(Duration.ofSeconds(2));
      try (Socket next = open()) {
        send(next, NEXT);
        assertThat(onlyAnswer(readToEof(next), 503))
            .as("the lingering connection still counts against maxConnections")
            .contains("connection limit");
      }
      clock.advance(Duration.ofMillis(1999));
      assertThat(gw.gateway.openConnections()).isEqualTo(1);
      clock.advance(Duration.ofMillis(1));
      awaitClosedByGateway();
      assertThat(onlyAnswer(readToEof(lingering), 400)).contains("malformed-request");
    }
    try (Socket again = open()) {
      send(again, NEXT.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
      assertThat(readToEof(again)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aLingeringConnectionThatKeepsSendingClosesAfterFiveSecondsInAll() throws Exception {
    start(CONFIG);
    try (Socket s = open()) {
      send(s, CL_AND_TE);
      awaitFin(s);
      clock.awaitTimerDueIn(Duration.ofSeconds(2));
      // A byte 1.5 s, 3 s and 4.5 s in: never 2 s quiet, so only the 5 s bound ends it. Time moves
      // to each check exactly, and on only once the check has rescheduled itself.
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofMillis(i == 0 ? 1500 : 1000));
        send(s, "x");
        Eventually.await(vertx, "the gateway to read the byte", () -> allRead(s));
        clock.advance(Duration.ofMillis(500));
        if (i < 2) {
          clock.awaitTimerDueIn(Duration.ofMillis(1500));
          assertThat(gw.gateway.openConnections()).isEqualTo(1);
        }
      }
      awaitClosedByGateway();
    }
  }

  /**
   * True once the gateway's kernel has acknowledged all the client sent and the gateway read it.
   */
  private static boolean allRead(Socket s) {
    TcpTable.Entry client = TcpTable.client(s);
    TcpTable.Entry server = TcpTable.server(s);
    return client != null && client.unacked() == 0 && server != null && server.unread() == 0;
  }

  @Test
  void aLingeringConnectionClosesOnceTheClientSendsMoreThan64KiB() throws Exception {
    start(CONFIG);
    try (Socket s = open()) {
      send(s, CL_AND_TE);
      awaitFin(s);
      send(s, "x".repeat(64 * 1024));
      Eventually.await(vertx, "the gateway to read 64 KiB", () -> allRead(s));
      assertThat(gw.gateway.openConnections()).isEqualTo(1);
      send(s, "x");
      awaitClosedByGateway();
    }
  }

  @Test
  void shutdownDoesNotWaitForALingeringClientBeyondItsGrace() throws Exception {
    start(CONFIG.replace("shutdownGrace: 20s", "shutdownGrace: 300ms"));
    try (Socket s = open()) {
      send(s, CL_AND_TE);
      awaitFin(s);
      assertThat(gw.gateway.openConnections()).isEqualTo(1);
      // The gateway's clock never moves: only the grace (real time) ends the linger.
      gw.gateway.shutdown().await(10, TimeUnit.SECONDS);
      awaitClosedByGateway();
    }
  }
}
