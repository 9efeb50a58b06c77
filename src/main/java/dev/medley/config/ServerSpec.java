package dev.medley.config;

/**
 * The public listener.
 *
 * @param host interface to bind; {@code 127.0.0.1} unless set (use {@code 0.0.0.0} in containers)
 * @param port public port, 8080 by default; 0 picks a free port
 * @param admin the separate admin listener
 * @param compression response compression; gzip and Brotli above 1KiB by default
 */
public record ServerSpec(String host, int port, AdminSpec admin, CompressionSpec compression) {
  public static final ServerSpec DEFAULT = new ServerSpec("127.0.0.1", 8080, AdminSpec.DEFAULT, CompressionSpec.DEFAULT);
}
