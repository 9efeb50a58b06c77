package dev.medley.config;

import java.time.Duration;
import java.util.Map;

/**
 * The public listener and how the process lives: shutdown grace and config watching.
 *
 * @param host interface to bind; {@code 127.0.0.1} unless set (use {@code 0.0.0.0} in containers)
 * @param port public port, 8080 by default; 0 picks a free port
 * @param admin the separate admin listener
 * @param shutdownGrace how long in-flight requests may take to finish after SIGTERM, 10s by
 *     default; requests still running then are cut off
 * @param watchInterval how often the config file is checked for changes, 2s by default; a change is
 *     applied once the file has stayed the same for one interval; {@code 0s} turns watching off
 * @param locations where the listener keys were written, by key path ({@code server}, {@code
 *     server.host}, {@code server.port}, {@code server.admin.host}, {@code server.admin.port});
 *     keys not written have no entry. A reload that moves a listener is reported there.
 * @param compression response compression; gzip and Brotli above 1KiB by default
 * @param tls TLS for the public listener (HTTP/2 offered via ALPN); null serves plain HTTP
 * @param limits request limits enforced before routing
 */
public record ServerSpec(
    String host,
    int port,
    AdminSpec admin,
    Duration shutdownGrace,
    Duration watchInterval,
    Map<String, Src> locations,
    CompressionSpec compression,
    TlsSpec tls,
    LimitsSpec limits) {
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(2);
  public static final ServerSpec DEFAULT =
      new ServerSpec(
          "127.0.0.1",
          8080,
          AdminSpec.DEFAULT,
          DEFAULT_SHUTDOWN_GRACE,
          DEFAULT_WATCH_INTERVAL,
          Map.of(),
          CompressionSpec.DEFAULT,
          null,
          LimitsSpec.DEFAULT);

  /** The same settings listening elsewhere; null keeps a port as configured. */
  public ServerSpec withPorts(Integer newPort, Integer newAdminPort) {
    AdminSpec a =
        new AdminSpec(
            admin.host(), newAdminPort == null ? admin.port() : newAdminPort, admin.token());
    return new ServerSpec(
        host,
        newPort == null ? port : newPort,
        a,
        shutdownGrace,
        watchInterval,
        locations,
        compression,
        tls,
        limits);
  }
}
