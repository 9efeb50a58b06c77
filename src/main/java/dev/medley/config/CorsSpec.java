package dev.medley.config;

import java.time.Duration;
import java.util.List;

/**
 * Cross-origin resource sharing for one experience. Preflights are answered by the gateway itself.
 *
 * @param origins allowed origins, exactly as browsers send them ({@code https://shop.example.com});
 *     {@code "*"} allows any origin but not together with {@code credentials}
 * @param methods methods a preflight may ask for; GET, HEAD and POST by default
 * @param headers request headers a preflight may ask for (case-insensitive); none by default
 * @param exposeHeaders response headers scripts may read besides the CORS-safelisted ones
 * @param credentials true lets browsers send cookies and Authorization cross-origin
 * @param maxAge how long browsers may cache a preflight answer, 10m by default
 * @param at where it was declared
 */
public record CorsSpec(
    List<String> origins,
    List<String> methods,
    List<String> headers,
    List<String> exposeHeaders,
    boolean credentials,
    Duration maxAge,
    Src at) {}
