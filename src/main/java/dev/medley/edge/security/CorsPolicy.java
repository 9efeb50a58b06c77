package dev.medley.edge.security;

import dev.medley.config.CorsSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One experience's CORS rules, with the header values precomputed.
 *
 * @param basePath the experience's base path; requests under it use these rules
 * @param origins allowed origins
 * @param anyOrigin true when {@code "*"} is listed
 * @param methods methods a preflight may ask for
 * @param headers request headers a preflight may ask for (lower-case), the safelisted ones included
 * @param allowMethods value of {@code Access-Control-Allow-Methods}
 * @param allowHeaders value of {@code Access-Control-Allow-Headers}; empty for none
 * @param exposeHeaders value of {@code Access-Control-Expose-Headers}
 * @param credentials whether {@code Access-Control-Allow-Credentials: true} is sent
 * @param maxAgeSeconds value of {@code Access-Control-Max-Age}
 */
record CorsPolicy(
    String basePath,
    Set<String> origins,
    boolean anyOrigin,
    Set<String> methods,
    Set<String> headers,
    String allowMethods,
    String allowHeaders,
    String exposeHeaders,
    boolean credentials,
    long maxAgeSeconds) {
  /** Headers browsers may always send; listing them is never needed. */
  private static final List<String> SAFELISTED =
      List.of("accept", "accept-language", "content-language");

  /** Medley's own response headers, readable by scripts on every allowed origin. */
  private static final List<String> MEDLEY_HEADERS =
      List.of("x-request-id", "x-medley-partial", "retry-after", "ratelimit", "ratelimit-policy");

  static CorsPolicy of(String basePath, CorsSpec spec) {
    Set<String> headers = new LinkedHashSet<>(spec.headers());
    headers.addAll(SAFELISTED);
    Set<String> expose = new LinkedHashSet<>(MEDLEY_HEADERS);
    expose.addAll(spec.exposeHeaders());
    return new CorsPolicy(
        basePath,
        Set.copyOf(spec.origins()),
        spec.origins().contains("*"),
        Set.copyOf(spec.methods()),
        Set.copyOf(headers),
        String.join(", ", spec.methods()),
        String.join(", ", spec.headers()),
        String.join(", ", expose),
        spec.credentials(),
        spec.maxAge().toSeconds());
  }

  boolean allows(String origin) {
    return anyOrigin || origins.contains(origin);
  }

  /** The {@code Access-Control-Allow-Origin} value for an allowed {@code origin}. */
  String allowOrigin(String origin) {
    return anyOrigin && !credentials ? "*" : origin;
  }

  /** True when a request to {@code path} belongs to this experience. */
  boolean covers(String path) {
    return basePath.isEmpty() || path.equals(basePath) || path.startsWith(basePath + "/");
  }
}
