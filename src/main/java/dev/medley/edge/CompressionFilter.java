package dev.medley.edge;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import dev.medley.config.CompressionSpec;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses response bodies the client accepts ({@code Accept-Encoding}, with q-values) when they
 * are text or JSON of at least {@code minSize} bytes and nothing forbids it ({@code no-transform},
 * an existing {@code Content-Encoding}). Such responses say {@code Vary: Accept-Encoding} whether
 * or not this client got them compressed, so shared caches keep the variants apart. Runs first, so
 * it sees every answer, problems included, after every other filter.
 *
 * <p>A body that outlives the request (a response-cache entry) comes with {@link EncodedVariants}:
 * its variant in the chosen encoding is then sent as kept, or made once and offered back, so a
 * cached answer is compressed once per encoding rather than on every hit.
 *
 * <p>Brotli is offered only once its native library has loaded from the classpath (see {@link
 * #start}); where it cannot load, gzip alone is offered.
 */
public final class CompressionFilter implements EdgeFilter {
  private final CompressionSpec spec;
  private final LongAdder compressions = new LongAdder();
  private final LongAdder reused = new LongAdder();
  private volatile List<String> offered;

  public CompressionFilter(CompressionSpec spec) {
    this.spec = spec;
    this.offered = spec.encodings().stream().filter(e -> !e.equals("br")).toList();
  }

  /** Loads Brotli's native library off the event loop; until it completes only gzip is offered. */
  public Future<Void> start(Vertx vertx) {
    if (!spec.encodings().contains("br")) {
      return Future.succeededFuture();
    }
    return vertx
        .executeBlocking(() -> brotliLoads())
        .map(
            ok -> {
              offered = spec.encodings().stream().filter(e -> ok || !e.equals("br")).toList();
              return null;
            });
  }

  private static boolean brotliLoads() {
    try {
      Brotli4jLoader.ensureAvailability();
      return true;
    } catch (Throwable unavailable) {
      // No native library for this platform: gzip only, as documented.
      return false;
    }
  }

  /** The encodings offered now, in preference order. */
  public List<String> offered() {
    return offered;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    return next.handle(req).map(r -> compress(req, r));
  }

  private Reply compress(EdgeRequest req, Reply r) {
    if (offered.isEmpty()
        || r.body() == null
        || r.body().length() < spec.minSize()
        || r.status() == 204
        || r.status() == 304
        || r.headers().contains("content-encoding")
        || !compressible(r.headers().get("content-type"))) {
      return r;
    }
    String cc = r.headers().get("cache-control");
    if (cc != null && cc.toLowerCase(Locale.ROOT).contains("no-transform")) {
      return r;
    }
    String vary = r.headers().get("vary");
    r.headers()
        .set(
            "vary",
            vary == null || vary.isBlank() ? "Accept-Encoding" : vary + ", Accept-Encoding");
    String encoding = choose(req.headers().get("accept-encoding"));
    if (encoding == null) {
      return r;
    }
    EncodedVariants variants = req.attr(EncodedVariants.ATTR);
    if (variants != null && variants.identity() != r.body()) {
      variants = null; // the reply is no longer the producer's body (e.g. rewritten on the way)
    }
    Buffer out = variants == null ? null : variants.get(encoding);
    if (out != null) {
      reused.increment();
    } else {
      byte[] in = r.body().getBytes();
      byte[] bytes = encoding.equals("br") ? brotli(in) : gzip(in);
      if (bytes == null) {
        return r;
      }
      compressions.increment();
      out = BufferInternal.buffer(Unpooled.wrappedBuffer(bytes)); // no copy; reusable
      if (variants != null) {
        variants.put(encoding, out);
      }
    }
    r.headers().set("content-encoding", encoding);
    r.headers().remove("content-length");
    return new Reply(r.status(), r.headers(), out);
  }

  /** Bodies compressed so far (each a gzip or Brotli run). */
  public long compressions() {
    return compressions.sum();
  }

  /** Answers sent with a variant kept from an earlier answer, with no compression run. */
  public long reusedVariants() {
    return reused.sum();
  }

  /** The offered encoding with the highest q-value the client gives; ties go to our order. */
  String choose(String acceptEncoding) {
    if (acceptEncoding == null) {
      return null;
    }
    List<String[]> parts = new ArrayList<>();
    for (String item : acceptEncoding.split(",")) {
      String[] nameAndParams = item.trim().split(";");
      parts.add(
          new String[] {nameAndParams[0].trim().toLowerCase(Locale.ROOT), qOf(nameAndParams)});
    }
    String best = null;
    double bestQ = 0;
    for (String e : offered) {
      double q = q(parts, e);
      if (q > bestQ) {
        best = e;
        bestQ = q;
      }
    }
    return best;
  }

  private static double q(List<String[]> parts, String encoding) {
    Double wildcard = null;
    for (String[] p : parts) {
      if (p[0].equals(encoding)) {
        return parseQ(p[1]);
      }
      if (p[0].equals("*")) {
        wildcard = parseQ(p[1]);
      }
    }
    return wildcard == null ? 0 : wildcard;
  }

  private static String qOf(String[] nameAndParams) {
    for (int i = 1; i < nameAndParams.length; i++) {
      String p = nameAndParams[i].trim();
      if (p.startsWith("q=")) {
        return p.substring(2).trim();
      }
    }
    return "1";
  }

  private static double parseQ(String q) {
    try {
      double v = Double.parseDouble(q);
      return v >= 0 && v <= 1 ? v : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean compressible(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.toLowerCase(Locale.ROOT);
    return t.startsWith("text/")
        || t.startsWith("application/json")
        || t.startsWith("application/problem+json")
        || t.startsWith("application/javascript")
        || t.startsWith("application/xml")
        || t.contains("+json")
        || t.contains("+xml");
  }

  private byte[] gzip(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length / 3));
    try (GZIPOutputStream gz = new LeveledGzip(out, spec.gzipLevel())) {
      gz.write(in);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip into memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Brotli bytes, or null when the encoder fails (the body then goes out uncompressed). */
  private byte[] brotli(byte[] in) {
    try {
      return Encoder.compress(
          in, new Encoder.Parameters().setQuality(spec.brotliQuality()).setMode(Encoder.Mode.TEXT));
    } catch (IOException e) {
      return null;
    }
  }

  /** GZIPOutputStream with a chosen level (the JDK class only exposes it to subclasses). */
  private static final class LeveledGzip extends GZIPOutputStream {
    LeveledGzip(ByteArrayOutputStream out, int level) throws IOException {
      super(out, 8192);
      def.setLevel(level);
    }
  }
}
