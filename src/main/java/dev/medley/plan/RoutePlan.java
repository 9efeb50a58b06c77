package dev.medley.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A compiled route: how to match it, how to check its inputs, its steps in an order where every
 * step comes after the steps it waits for, and its response shape.
 *
 * @param id stable label for logs and metrics: experience, method and path template
 * @param experience the experience it belongs to
 * @param method HTTP method
 * @param template the full public path template, base path included
 * @param segments literal path segments, null where a parameter stands
 * @param params path parameter rules by segment position (null for literal segments)
 * @param query accepted query parameters
 * @param headers inbound headers visible to templates (lower-case)
 * @param deadline the request's time budget
 * @param steps steps by index (the order written)
 * @param order step indexes in dependency order
 * @param response the response shape, never null
 * @param version the API version: the template's first segment of the form {@code v<digits>}
 *     ({@code v2} in {@code /web/v2/products/{id}}), or null; metrics and logs label traffic with
 *     it
 * @param deprecation the deprecation headers to send, or null
 * @param canary the route taking a share of this route's traffic, or null
 * @param cache how the whole response is cached, or null
 * @param cacheControl the {@code Cache-Control} header for clients, or null
 * @param access who may call the route, how often and with how large a body
 * @param statics fixed members merged into the route's answers, or null
 * @param passing client headers and query forwarded, upstream answer headers copied back; null when
 *     the route uses neither
 * @param errors which upstream errors pass to the client and whether all optional steps failing
 *     fails the route; null when the route keeps the defaults
 * @param bodies request bodies beyond JSON, forwarded bodies and pass-through, or null when the
 *     route uses none of them
 * @param index the route's position in {@link Plan#routes()}: the edge keeps per-route handlers by
 *     it
 */
public record RoutePlan(
    String id,
    String experience,
    String method,
    String template,
    String[] segments,
    ParamRule[] params,
    Map<String, ParamRule> query,
    List<String> headers,
    Duration deadline,
    StepPlan[] steps,
    int[] order,
    Shape response,
    String version,
    Deprecation deprecation,
    Canary canary,
    CachePlan cache,
    String cacheControl,
    RouteAccess access,
    dev.medley.config.StaticSpec statics,
    Passing passing,
    ErrorPolicy errors,
    BodyPlan bodies,
    int index) {

  /** This route with {@code c} as its canary. */
  RoutePlan withCanary(Canary c) {
    return new RoutePlan(
        id,
        experience,
        method,
        template,
        segments,
        params,
        query,
        headers,
        deadline,
        steps,
        order,
        response,
        version,
        deprecation,
        c,
        cache,
        cacheControl,
        access,
        statics,
        passing,
        errors,
        bodies,
        index);
  }

  /** A step by name, or null. */
  public StepPlan step(String name) {
    for (StepPlan s : steps) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    return null;
  }
}
