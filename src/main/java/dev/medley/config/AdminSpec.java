package dev.medley.config;

/**
 * The admin listener: health, readiness, Prometheus metrics ({@code GET /metrics}), demo fault
 * switches and (later) invalidation.
 *
 * @param host interface to bind; {@code 127.0.0.1} by default so it is never public by accident
 * @param port admin port, 9090 by default; 0 picks a free port; never the public port
 * @param token bearer token required on admin endpoints other than health; null makes the gateway
 *     generate a random one at start and print it (the admin API is never open)
 */
public record AdminSpec(String host, int port, String token) {
  public static final AdminSpec DEFAULT = new AdminSpec("127.0.0.1", 9090, null);

  @Override
  public String toString() {
    return "AdminSpec[host="
        + host
        + ", port="
        + port
        + ", token="
        + (token == null ? "none" : "<redacted>")
        + "]";
  }
}
