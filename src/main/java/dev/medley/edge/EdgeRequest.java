package dev.medley.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.engine.StepTrace;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * An inbound request as the edge filters and the route handler see it: already read (body included,
 * within its limit) and detached from the socket. Filters may set {@link #claims}, and filters may
 * note typed {@link Attr attributes} for observers (such as {@link StateSource}).
 */
public final class EdgeRequest {
  private final String method;
  private final String path;
  private final String rawQuery;
  private final MultiMap query;
  private final MultiMap headers;
  private final Buffer body;
  private final String remoteAddress;
  private final String requestId;
  private final long startNanos;
  private JsonNode claims;
  private Generation generation;
  private dev.medley.plan.RoutePlan route;
  private String[] pathValues;
  private MultiMap upstreamHeaders;
  private boolean canary;
  private Map<String, String> propagated = Map.of();
  private List<StepTrace> trace = List.of();
  private java.util.Map<Attr<?>, Object> attrs;

  /** A typed key for a per-request attribute; compared by identity, so each key is one constant. */
  public static final class Attr<T> {
    private final String name;

    public Attr(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  public EdgeRequest(
      String method,
      String path,
      String rawQuery,
      MultiMap query,
      MultiMap headers,
      Buffer body,
      String remoteAddress,
      String requestId,
      long startNanos) {
    this.method = method;
    this.path = path;
    this.rawQuery = rawQuery;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.remoteAddress = remoteAddress;
    this.requestId = requestId;
    this.startNanos = startNanos;
  }

  public String method() {
    return method;
  }

  /** The raw (still percent-encoded) path. */
  public String path() {
    return path;
  }

  public String rawQuery() {
    return rawQuery;
  }

  public MultiMap query() {
    return query;
  }

  public MultiMap headers() {
    return headers;
  }

  /** The body for methods that carry one; null otherwise. */
  public Buffer body() {
    return body;
  }

  public String remoteAddress() {
    return remoteAddress;
  }

  public String requestId() {
    return requestId;
  }

  public long startNanos() {
    return startNanos;
  }

  /** Verified identity claims, or null when the request is anonymous. */
  public JsonNode claims() {
    return claims;
  }

  public void claims(JsonNode verified) {
    this.claims = verified;
  }

  /**
   * Headers added to every upstream call this request makes (verified claims, an opted-in {@code
   * Authorization}); filters fill it, the route handler applies it.
   */
  public MultiMap upstreamHeaders() {
    if (upstreamHeaders == null) {
      upstreamHeaders = MultiMap.caseInsensitiveMultiMap();
    }
    return upstreamHeaders;
  }

  /** True when a filter added headers for upstream calls. */
  public boolean hasUpstreamHeaders() {
    return upstreamHeaders != null && !upstreamHeaders.isEmpty();
  }

  /**
   * Fixes the generation this request runs on before it is matched, so it cannot be retired under
   * the request; {@link RouteMatcher} then matches against it instead of the live one.
   */
  public void pin(Generation pinned) {
    this.generation = pinned;
  }

  /**
   * Sends this request to {@code target}, the canary of the matched route, with the path values
   * laid out for the target's template.
   */
  public void divert(dev.medley.plan.RoutePlan target, String[] targetValues) {
    this.route = target;
    this.pathValues = targetValues;
    this.canary = true;
  }

  /** True when a canary route serves this request instead of the route it matched. */
  public boolean canary() {
    return canary;
  }

  /**
   * Records the matched route and the generation it belongs to (set once, by {@link RouteMatcher}).
   */
  void matched(Generation generation, dev.medley.plan.RoutePlan route, String[] pathValues) {
    this.generation = generation;
    this.route = route;
    this.pathValues = pathValues;
  }

  /**
   * The generation this request runs on, pinned before matching so a reload never splits a request.
   */
  public Generation generation() {
    return generation;
  }

  /**
   * The route this request runs: the matched one, or its canary once {@link CanaryFilter} diverted
   * it; null before matching. Filters after the matcher use it for per-route policy.
   */
  public dev.medley.plan.RoutePlan route() {
    return route;
  }

  /** Headers every upstream call of this request carries (the trace context); empty by default. */
  public Map<String, String> propagated() {
    return propagated;
  }

  /** Sets the headers to propagate upstream; the tracing filter calls it before the route runs. */
  public void propagated(Map<String, String> headers) {
    this.propagated = headers;
  }

  /**
   * What each step did, once the route has run (also when it failed); empty before or without a
   * route.
   */
  public List<StepTrace> trace() {
    return trace;
  }

  /** Records the steps' trace; the route handler calls it when the engine is done. */
  public void trace(List<StepTrace> steps) {
    this.trace = steps;
  }

  /** The attribute's value, or null when none was set. */
  @SuppressWarnings("unchecked")
  public <T> T attr(Attr<T> key) {
    return attrs == null ? null : (T) attrs.get(key);
  }

  public <T> void attr(Attr<T> key, T value) {
    if (attrs == null) {
      attrs = new java.util.HashMap<>(4);
    }
    attrs.put(key, value);
  }

  /** Decoded path segments of the request, by position. */
  public String[] pathValues() {
    return pathValues;
  }
}
