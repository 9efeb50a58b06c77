package dev.medley.config;

/**
 * Request limits of the public listener; a request over any of them is refused with a 4xx
 * problem before routing, authentication or any upstream call.
 *
 * @param maxHeaderSize total size of the request headers, 8KiB by default (431 beyond)
 * @param maxUrlLength longest request target (path and query) in characters, 4096 by default (414 beyond)
 * @param maxBodySize default largest request body, 1MiB; routes may set their own (413 beyond)
 * @param maxJsonDepth deepest nesting of arrays and objects in a JSON body, 32 by default (400 beyond)
 * @param maxQueryParams most query parameters in one request, 64 by default (400 beyond)
 */
public record LimitsSpec(long maxHeaderSize, int maxUrlLength, long maxBodySize, int maxJsonDepth, int maxQueryParams) {
  public static final LimitsSpec DEFAULT = new LimitsSpec(8L << 10, 4096, 1L << 20, 32, 64);
}
