package dev.medley.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One route: {@code METHOD /path/{param}} composed from steps and shaped into a response.
 *
 * @param method HTTP method (GET, POST, PUT, DELETE, PATCH)
 * @param path path under the experience's base path, with {@code {name}} segments
 * @param params rules for path parameters (pattern, type)
 * @param query query parameters the route accepts; others are ignored and invisible to templates
 * @param headers inbound headers templates may read, as {@code headers.<lower-case-name>}
 * @param deadline the whole request's time budget, 3s by default
 * @param steps upstream calls by name; order is inferred from references
 * @param response the response shape; null means an object of every step's result by step name
 * @param deprecated deprecation and sunset announced to clients, or null
 * @param canary a share of traffic sent to another route, or null
 * @param cache how the whole response is cached; null (the default) means it is not
 * @param cacheControl the {@code Cache-Control} header sent to clients with a 200; null sends none
 * @param statics fixed members merged into the route's answers, or null
 * @param access authentication, scopes, rate limits and body limit of this route, over its
 *     experience's
 * @param forward client headers and query parameters its steps forward, over its experience's; null
 *     inherits
 * @param responseHeaders upstream answer headers copied to the client, and whether {@code
 *     Cache-Control} is composed; null copies none
 * @param errors which upstream errors pass to the client, and whether a route whose optional steps
 *     all failed fails; null keeps the defaults (a problem, a partial answer)
 * @param proxy the upstream call of a pass-through route (which then has no steps), or null
 * @param requestBody the request bodies the route accepts beyond JSON, or null for JSON only
 */
public record RouteSpec(
    String method,
    String path,
    Map<String, ParamSpec> params,
    Map<String, ParamSpec> query,
    List<String> headers,
    Duration deadline,
    Map<String, StepSpec> steps,
    ValueSpec response,
    DeprecationSpec deprecated,
    CanarySpec canary,
    CacheRuleSpec cache,
    String cacheControl,
    AccessSpec access,
    StaticSpec statics,
    ForwardSpec forward,
    ResponseHeadersSpec responseHeaders,
    ErrorsSpec errors,
    Src at,
    ProxySpec proxy,
    RequestBodySpec requestBody) {

  /** The key the route is written under, e.g. {@code GET /v2/products/{id}}. */
  public String key() {
    return method + " " + path;
  }
}
