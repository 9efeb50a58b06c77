package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import dev.medley.testing.FakeUpstream;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** HTTP caching towards clients (ETag, 304, Cache-Control) and compression. */
class HttpCachingTest extends CacheTestSupport {
  private static final String BIG = "x".repeat(4000);

  /** A client that leaves bodies as sent, so the test sees the compressed bytes. */
  private static final java.net.http.HttpClient RAW = java.net.http.HttpClient.newHttpClient();

  private void pages() {
    routes(
        """
        GET /p/{id}:
          cacheControl: "private, max-age=30"
          steps:
            product: { upstream: a, path: "/products/{id}" }
        GET /small/{id}:
          steps:
            product: { upstream: a, path: "/small/{id}" }
        """);
    a.on("/products/", FakeUpstream.json("{\"pad\":\"" + BIG + "\"}"));
    a.on("/small/", FakeUpstream.json("{\"ok\":true}"));
  }

  private HttpResponse<byte[]> bytes(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return RAW.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void composedResponsesCarryAnEtagAndAMatchingIfNoneMatchGets304() {
    pages();
    HttpResponse<String> first = get("/web/p/1");
    String etag = first.headers().firstValue("etag").orElseThrow();
    assertThat(etag).startsWith("W/\"");
    assertThat(first.headers().firstValue("cache-control")).hasValue("private, max-age=30");
    HttpResponse<String> again = get("/web/p/1", "if-none-match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("etag")).hasValue(etag);
    assertThat(again.headers().firstValue("cache-control")).hasValue("private, max-age=30");
    assertThat(get("/web/p/1", "if-none-match", "W/\"other\", " + etag.substring(2)).statusCode())
        .isEqualTo(304);
    assertThat(get("/web/p/1", "if-none-match", "W/\"other\"").statusCode()).isEqualTo(200);
    a.on("/products/", FakeUpstream.json("{\"pad\":\"changed\"}"));
    HttpResponse<String> changed = get("/web/p/1", "if-none-match", etag);
    assertThat(changed.statusCode()).as("a changed body is sent again").isEqualTo(200);
    assertThat(changed.headers().firstValue("etag")).isNotEqualTo(etag);
  }

  @Test
  void gzipIsNegotiatedAboveTheMinimumSize() throws Exception {
    pages();
    HttpResponse<byte[]> plain = bytes("/web/p/1");
    HttpResponse<byte[]> gz = bytes("/web/p/1", "accept-encoding", "gzip");
    assertThat(gz.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(gz.headers().firstValue("vary")).hasValue("Accept-Encoding");
    byte[] unzipped = new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes();
    assertThat(new String(unzipped, StandardCharsets.UTF_8))
        .isEqualTo(new String(plain.body(), StandardCharsets.UTF_8));
    assertThat(gz.body().length).isLessThan(plain.body().length / 10);
    assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
    assertThat(plain.headers().firstValue("vary"))
        .as("the response varies even when not compressed")
        .hasValue("Accept-Encoding");

    HttpResponse<byte[]> small = bytes("/web/small/1", "accept-encoding", "gzip");
    assertThat(small.headers().firstValue("content-encoding")).as("below minSize").isEmpty();
    assertThat(new String(small.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"product\":{\"ok\":true}}");

    HttpResponse<byte[]> refused = bytes("/web/p/1", "accept-encoding", "gzip;q=0, identity");
    assertThat(refused.headers().firstValue("content-encoding")).isEmpty();
  }

  @Test
  void brotliIsPreferredWhereItsNativeLibraryLoads() throws Exception {
    pages();
    assumeThat(gw.gateway.compressionOffered())
        .as("brotli4j has a native library for this platform")
        .contains("br");
    HttpResponse<byte[]> plain = bytes("/web/p/1");
    HttpResponse<byte[]> br = bytes("/web/p/1", "accept-encoding", "gzip, deflate, br");
    assertThat(br.headers().firstValue("content-encoding")).hasValue("br");
    DecoderJNI.Status status = Decoder.decompress(br.body()).getResultStatus();
    assertThat(status).isEqualTo(DecoderJNI.Status.DONE);
    assertThat(
            new String(Decoder.decompress(br.body()).getDecompressedData(), StandardCharsets.UTF_8))
        .isEqualTo(new String(plain.body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> gzipPreferred = bytes("/web/p/1", "accept-encoding", "br;q=0.5, gzip");
    assertThat(gzipPreferred.headers().firstValue("content-encoding")).hasValue("gzip");
  }

  @Test
  void aNotModifiedAnswerIsNeverCompressed() {
    pages();
    String etag = get("/web/p/1").headers().firstValue("etag").orElseThrow();
    HttpResponse<byte[]> r = bytes("/web/p/1", "accept-encoding", "gzip", "if-none-match", etag);
    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(r.headers().firstValue("content-encoding")).isEmpty();
    assertThat(r.body()).isEmpty();
  }
}
