package dev.medley.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import dev.medley.testing.Harness;
import dev.medley.testing.TestCerts;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both sides, with certificates issued at test time: the public listener from PEM files
 * (HTTP/2 negotiated through ALPN), and upstream calls that trust a private CA and present a client
 * certificate to an upstream that requires one.
 */
class TlsTest extends GatewayTest {
  @TempDir Path dir;

  private Harness startWith(String yaml, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("A", a.url());
    env.put("B", b.url());
    env.put("C", c.url());
    gw = Harness.start(vertx, yaml, env, clock);
    return gw;
  }

  /**
   * An https upstream whose certificate comes from {@code serverCa}; it requires a client
   * certificate from {@code clientCa}.
   */
  private HttpServer mtlsUpstream(TestCerts serverCa, TestCerts clientCa) throws Exception {
    TestCerts.Issued cert = serverCa.server("upstream");
    HttpServerOptions o =
        new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(cert.cert().toString())
                    .setKeyPath(cert.key().toString()))
            .setTrustOptions(new PemTrustOptions().addCertPath(clientCa.caPem().toString()))
            .setClientAuth(ClientAuth.REQUIRED);
    return vertx
        .createHttpServer(o)
        .requestHandler(
            r -> {
              String who;
              try {
                who =
                    ((X509Certificate) r.connection().peerCertificates().get(0))
                        .getSubjectX500Principal()
                        .getName();
              } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                who = "nobody";
              }
              r.response()
                  .putHeader("content-type", "application/json")
                  .end("{\"client\":\"" + who + "\"}");
            })
        .listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void publicListenerServesHttp2OverTlsFromPemFiles() throws Exception {
    TestCerts ca = new TestCerts(dir, "edge");
    TestCerts.Issued cert = ca.server("edge");
    a.on("/", FakeUpstream.json("{\"ok\":true}"));
    startWith(
        """
        version: 1
        server:
          tls: { cert: "${env:CERT}", key: "${env:KEY}" }
        upstreams:
          a: { url: "${env:A}" }
        experiences:
          web:
            routes:
              GET /p:
                steps: { p: { upstream: a, path: /p } }
        """,
        Map.of("CERT", cert.cert().toString(), "KEY", cert.key().toString()));
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(ca.trustingContext())
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gw.gateway.port() + "/p"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).as("negotiated through ALPN").isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.body()).isEqualTo("{\"p\":{\"ok\":true}}");
  }

  private static final String UPSTREAM_TLS =
      """
      version: 1
      upstreams:
        secure:
          url: "https://127.0.0.1:${env:PORT}"
          %s
      experiences:
        web:
          routes:
            GET /p:
              steps: { who: { upstream: secure, path: /whoami } }
      """;

  @Test
  void upstreamCallTrustsThePrivateCaAndPresentsTheClientCertificate() throws Exception {
    TestCerts upstreamCa = new TestCerts(dir, "upstream");
    TestCerts clientCa = new TestCerts(dir, "client");
    HttpServer up = mtlsUpstream(upstreamCa, clientCa);
    TestCerts.Issued client = clientCa.client("gateway");
    startWith(
        UPSTREAM_TLS.formatted(
            "tls: { ca: \"${env:CA}\", cert: \"${env:CERT}\", key: \"${env:KEY}\" }"),
        Map.of(
            "PORT",
            Integer.toString(up.actualPort()),
            "CA",
            upstreamCa.caPem().toString(),
            "CERT",
            client.cert().toString(),
            "KEY",
            client.key().toString()));
    HttpResponse<String> r = gw.get("/p");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"who\":{\"client\":\"CN=medley-gateway\"}}");
  }

  @Test
  void upstreamRequiringAClientCertificateRefusesAGatewayWithoutOne() throws Exception {
    TestCerts upstreamCa = new TestCerts(dir, "upstream");
    HttpServer up = mtlsUpstream(upstreamCa, new TestCerts(dir, "client"));
    startWith(
        UPSTREAM_TLS.formatted("tls: { ca: \"${env:CA}\" }"),
        Map.of("PORT", Integer.toString(up.actualPort()), "CA", upstreamCa.caPem().toString()));
    HttpResponse<String> r = gw.get("/p");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("step 'who' failed");
  }

  @Test
  void upstreamWithACertificateFromAnUntrustedCaIsRefused() throws Exception {
    TestCerts upstreamCa = new TestCerts(dir, "upstream");
    TestCerts clientCa = new TestCerts(dir, "client");
    HttpServer up = mtlsUpstream(upstreamCa, clientCa);
    TestCerts.Issued client = clientCa.client("gateway");
    // Trusts another CA than the one that issued the upstream's certificate.
    startWith(
        UPSTREAM_TLS.formatted(
            "tls: { ca: \"${env:CA}\", cert: \"${env:CERT}\", key: \"${env:KEY}\" }"),
        Map.of(
            "PORT",
            Integer.toString(up.actualPort()),
            "CA",
            clientCa.caPem().toString(),
            "CERT",
            client.cert().toString(),
            "KEY",
            client.key().toString()));
    assertThat(gw.get("/p").statusCode()).isEqualTo(502);
  }
}
