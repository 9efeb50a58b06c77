package dev.medley.config;

import java.util.List;

/**
 * A client experience (web, mobile, partner): a base path and the routes under it.
 *
 * @param name the key it is declared under; appears in metrics and logs
 * @param basePath prefix of every route path, e.g. {@code /web}; may be empty
 * @param routes its routes in written order
 * @param access authentication, scopes, rate limits and CORS for all its routes
 * @param forward client headers and query parameters its routes' steps forward; null forwards
 *     nothing
 */
public record ExperienceSpec(
    String name,
    String basePath,
    List<RouteSpec> routes,
    AccessSpec access,
    ForwardSpec forward,
    Src at) {}
