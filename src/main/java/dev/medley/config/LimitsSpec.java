package dev.medley.config;

import java.time.Duration;

/**
 * Request limits of the public listener; a request over any of them is refused with a 4xx problem
 * before routing, authentication or any upstream call.
 *
 * @param maxHeaderSize total size of the request headers, 8KiB by default (431 beyond)
 * @param maxUrlLength longest request target (path and query) in characters, 4096 by default (414
 *     beyond)
 * @param maxBodySize default largest request body, 1MiB; routes may set their own (413 beyond)
 * @param maxJsonDepth deepest nesting of arrays and objects in a JSON body, 32 by default (400
 *     beyond)
 * @param maxQueryParams most query parameters in one request, 64 by default (400 beyond)
 * @param headerTimeout how long a client may take to send a request's head (request line and
 *     headers), counted from its first byte or from the connection's opening; 10s by default (408
 *     and close beyond). Stops clients that trickle header lines from holding connections.
 * @param idleTimeout how long a keep-alive connection may stay without traffic before it is closed,
 *     60s by default
 * @param maxConnections most connections open at once on the public port, 10000 by default; a
 *     connection beyond it gets a 503 and is closed at once (the admin port is not counted)
 */
public record LimitsSpec(
    long maxHeaderSize,
    int maxUrlLength,
    long maxBodySize,
    int maxJsonDepth,
    int maxQueryParams,
    Duration headerTimeout,
    Duration idleTimeout,
    int maxConnections) {
  public static final LimitsSpec DEFAULT =
      new LimitsSpec(
          8L << 10, 4096, 1L << 20, 32, 64, Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000);
}
