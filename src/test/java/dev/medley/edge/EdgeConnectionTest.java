package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.admin.AdminServer;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.RawSockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The public listener on raw sockets, as an attacker or a careless client writes bytes: ambiguous
 * framing (RFC 9112 §3.2, §6.1, §6.3) is answered with a problem and the connection closed, with
 * nothing pipelined behind it reaching an upstream; slow request heads time out with a 408; idle
 * keep-alive connections are closed; a connection cap keeps the port and the admin health
 * answering.
 */
@Tag("isolated")
class EdgeConnectionTest extends GatewayTest {
  private static final String CONFIG =
      """
      version: 1
      server: { limits: { maxConnections: 3 } }
      upstreams:
        a: { url: "${env:A}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /p:
              steps:
                p: { upstream: a, path: /p }
            POST /echo:
              steps:
                e: { upstream: a, path: /echo, method: POST, body: "{body}" }
      """;

  private int port() {
    return gw.gateway.port();
  }

  private Socket open() throws IOException {
    return RawSockets.open(port());
  }

  private static void send(Socket s, String raw) throws IOException {
    RawSockets.send(s, raw);
  }

  /**
   * Everything the server sends until it closes the connection; fails if it keeps it open for 10 s.
   */
  private static String readToClose(Socket s) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the connection was not closed; got so far: "
              + all.toString(StandardCharsets.ISO_8859_1));
    } catch (IOException reset) {
      // A reset after the answer still counts as closed; the answer is what was read.
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  /** One answer's head, through the blank line; fails if none comes within the socket timeout. */
  private static String readHead(Socket s) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends {@code raw} on a new connection: the answer and that the server then closed the
   * connection.
   */
  private String exchangeToClose(String raw) throws IOException {
    try (Socket s = open()) {
      send(s, raw);
      return readToClose(s);
    }
  }

  private static void assertRefused(String answer, int status) {
    assertThat(answer).as(answer).startsWith("HTTP/1.1 " + status + " ");
    assertThat(answer.toLowerCase())
        .contains("content-type: application/problem+json")
        .contains("connection: close");
    assertThat(answer).contains("\"status\":" + status);
    assertThat(
            java.util.regex.Pattern.compile("(?m)^HTTP/1\\.[01] \\d{3} ")
                .matcher(answer)
                .results()
                .count())
        .as("exactly one answer")
        .isEqualTo(1);
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedAndThePipelinedRequestNeverRuns()
      throws IOException {
    a.on("/", FakeUpstream.echo());
    start(CONFIG);
    String answer =
        exchangeToClose(
            """
        POST /web/echo HTTP/1.1\r
        Host: gw\r
        Content-Type: application/json\r
        Content-Length: 5\r
        Transfer-Encoding: chunked\r
        \r
        0\r
        \r
        GET /web/p?smuggled=1 HTTP/1.1\r
        Host: gw\r
        \r
        """);
    assertRefused(answer, 400);
    assertThat(answer).contains("both Content-Length and Transfer-Encoding");
    assertThat(a.received()).as("nothing reached the upstream").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "final coding not chunked    | Transfer-Encoding: chunked, identity",
        "unknown coding              | Transfer-Encoding: gzip",
        "two transfer-encodings      | Transfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked",
      })
  void transferCodingOtherThanChunkedIsRefused(String name, String header) throws IOException {
    a.on("/", FakeUpstream.echo());
    start(CONFIG);
    String answer =
        exchangeToClose(
            "POST /web/echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                + header.replace("\\r\\n", "\r\n")
                + "\r\n\r\n2\r\n{}\r\n0\r\n\r\nGET /web/p?smuggled=1 HTTP/1.1\r\nHost: gw\r\n\r\n");
    assertRefused(answer, 400);
    assertThat(a.received()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no Host      | GET /web/p HTTP/1.1\\r\\n\\r\\n",
        "two Hosts    | GET /web/p HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n",
        "control byte | GET /web/p\u0001x HTTP/1.1\\r\\nHost: gw\\r\\n\\r\\n",
        "DEL byte     | GET /web/p\u007f HTTP/1.1\\r\\nHost: gw\\r\\n\\r\\n",
        "Host w/ path | GET /web/p HTTP/1.1\\r\\nHost: gw/../admin\\r\\n\\r\\n",
        "Host w/ user | GET /web/p HTTP/1.1\\r\\nHost: user@gw\\r\\n\\r\\n",
        "Host w/ space| GET /web/p HTTP/1.1\\r\\nHost: gw x\\r\\n\\r\\n",
        "Host bad port| GET /web/p HTTP/1.1\\r\\nHost: gw:80x\\r\\n\\r\\n",
        "Host two : | GET /web/p HTTP/1.1\\r\\nHost: gw:80:81\\r\\n\\r\\n",
      })
  void hostAndTargetRulesAreEnforced(String name, String raw) throws IOException {
    a.on("/", FakeUpstream.json("{}"));
    start(CONFIG);
    String answer = exchangeToClose(raw.replace("\\r\\n", "\r\n"));
    assertRefused(answer, 400);
    assertThat(a.received()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "name and port | gw.example:8080",
        "IPv4          | 127.0.0.1",
        "IPv6 and port | [::1]:9",
        "empty         | ''",
      })
  void wellFormedHostsAreServed(String name, String host) throws IOException {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG);
    String answer =
        exchangeToClose("GET /web/p HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 200").contains("\"ok\":true");
  }

  @Test
  void aLaterHttp1MinorVersionIsRefusedWithAnHttp11Answer() throws IOException {
    start(CONFIG);
    String answer = exchangeToClose("GET /web/p HTTP/1.2\r\nHost: gw\r\n\r\n");
    assertRefused(answer, 505);
    assertThat(a.received()).isEmpty();
  }

  @Test
  void expectContinueGets100BeforeTheClientSendsTheBody() throws IOException {
    a.on("/", FakeUpstream.echo());
    start(CONFIG);
    try (Socket s = open()) {
      send(
          s,
          "POST /web/echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
              + "Content-Length: 7\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
      assertThat(readHead(s)).startsWith("HTTP/1.1 100 Continue");
      send(s, "{\"a\":1}");
      String answer = readToClose(s);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("\"a\":1");
    }
  }

  @Test
  void expectContinueWithABodyOverTheLimitGets413Instead() throws IOException {
    start(CONFIG);
    try (Socket s = open()) {
      send(
          s,
          "POST /web/echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
              + "Content-Length: 50000000\r\nExpect: 100-continue\r\n\r\n");
      String head = readHead(s);
      assertThat(head).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");
    }
    assertThat(a.received()).isEmpty();
  }

  @Test
  void http10WithoutHostIsStillServed() throws IOException {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG);
    String answer = exchangeToClose("GET /web/p HTTP/1.0\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.0 200").contains("\"ok\":true");
  }

  @Test
  void oversizedChunkSizeIsAnsweredBeforeClosing() throws IOException {
    a.on("/", FakeUpstream.echo());
    start(CONFIG);
    String answer =
        exchangeToClose(
            "POST /web/echo HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n");
    assertRefused(answer, 400);
    assertThat(a.received()).isEmpty();
  }

  @Test
  void http2PrefaceOnTheCleartextPortIsAnsweredBeforeClosing() throws IOException {
    start(CONFIG);
    String answer = exchangeToClose("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assertRefused(answer, 505);
  }

  @Test
  void slowRequestHeadGets408AndTheConnectionCloses() throws IOException {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG);
    try (Socket s = open()) {
      send(s, "GET /web/p HTTP/1.1\r\nHost: gw\r\n");
      clock.awaitTimerDueIn(Duration.ofSeconds(10));
      clock.advance(Duration.ofSeconds(10));
      String answer = readToClose(s);
      assertRefused(answer, 408);
    }
    assertThat(a.received()).isEmpty();
  }

  @Test
  void theHeadClockRestartsForEachRequestOnAKeepAliveConnection() throws IOException {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG);
    try (Socket s = open()) {
      send(s, "GET /web/p HTTP/1.1\r\nHost: gw\r\n\r\n");
      byte[] buf = new byte[4096];
      int n = s.getInputStream().read(buf);
      assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
      send(s, "GET /web/p HTTP/1.1\r\n"); // the next head starts, and stops
      clock.awaitTimerDueIn(Duration.ofSeconds(10));
      clock.advance(Duration.ofSeconds(10));
      assertRefused(readToClose(s), 408);
    }
  }

  @Test
  void connectionThatSendsNothingGets408() throws IOException {
    start(CONFIG.replace("maxConnections: 3", "headerTimeout: 300ms"));
    try (Socket s = open()) {
      assertRefused(readToClose(s), 408);
    }
  }

  @Test
  void idleKeepAliveConnectionIsClosed() throws IOException {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG.replace("maxConnections: 3", "idleTimeout: 300ms"));
    try (Socket s = open()) {
      send(s, "GET /web/p HTTP/1.1\r\nHost: gw\r\n\r\n");
      String answer = readToClose(s);
      assertThat(answer).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void beyondMaxConnectionsNewConnectionsAreRefusedWhileAdminHealthAnswers() throws IOException {
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    start(CONFIG);
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Socket s = open();
        idle.add(s);
        // A served request proves the connection is counted; it then stays open, idle.
        send(s, "GET /web/p HTTP/1.1\r\nHost: gw\r\n\r\n");
        byte[] buf = new byte[4096];
        int n = s.getInputStream().read(buf);
        assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
      }
      String refused = exchangeToClose("GET /web/p HTTP/1.1\r\nHost: gw\r\n\r\n");
      assertRefused(refused, 503);
      assertThat(refused).contains("connection limit");

      HttpResponse<String> ready = gw.admin("GET", AdminServer.READY_PATH, null);
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

      idle.remove(0).close();
      String again = null;
      for (int i = 0; i < 100 && (again == null || !again.startsWith("HTTP/1.1 200")); i++) {
        // The closed connection is uncounted once the server notices: a bounded wait for that.
        again = exchangeToClose("GET /web/p HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
      }
      assertThat(again).startsWith("HTTP/1.1 200");
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }
}
