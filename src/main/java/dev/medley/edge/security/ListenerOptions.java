package dev.medley.edge.security;

import dev.medley.config.LimitsSpec;
import dev.medley.config.ServerSpec;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Set;

/**
 * The public listener's socket options from {@code server}: TLS from PEM files with HTTP/2 offered
 * through ALPN, and codec limits matching {@code server.limits} so oversized request lines and
 * headers are refused by the HTTP/1.1 decoder before a request object exists (the edge server
 * answers those with a problem, too).
 */
public final class ListenerOptions {
  /** Room for the method, spaces and version around the request target on the request line. */
  private static final int REQUEST_LINE_OVERHEAD = 64;

  private ListenerOptions() {}

  public static HttpServerOptions of(ServerSpec server) {
    LimitsSpec l = server.limits();
    HttpServerOptions o =
        new HttpServerOptions()
            .setIdleTimeout((int) l.idleTimeout().toMillis())
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
            // No cleartext HTTP/2 (h2c): on its upgrade path an oversized header is dropped instead
            // of refused.
            .setHttp2ClearTextEnabled(false)
            .setMaxHeaderSize((int) l.maxHeaderSize())
            .setMaxInitialLineLength(l.maxUrlLength() + REQUEST_LINE_OVERHEAD);
    // HTTP/2 headers arrive decoded: let twice the limit through so the limits filter answers with
    // a problem.
    o.getInitialSettings().setMaxHeaderListSize(2 * l.maxHeaderSize() + 1024);
    if (server.tls() != null) {
      o.setSsl(true)
          .setUseAlpn(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(server.tls().cert())
                  .setKeyPath(server.tls().key()))
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
    }
    return o;
  }
}
