package dev.medley.config;

/**
 * The public listener.
 *
 * @param host interface to bind; {@code 127.0.0.1} unless set (use {@code 0.0.0.0} in containers)
 * @param port public port, 8080 by default; 0 picks a free port
 * @param admin the separate admin listener
 * @param tls TLS for the public listener (HTTP/2 offered via ALPN); null serves plain HTTP
 * @param limits request limits enforced before routing
 */
public record ServerSpec(String host, int port, AdminSpec admin, TlsSpec tls, LimitsSpec limits) {
  public static final ServerSpec DEFAULT = new ServerSpec("127.0.0.1", 8080, AdminSpec.DEFAULT, null, LimitsSpec.DEFAULT);
}
