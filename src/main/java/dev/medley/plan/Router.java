package dev.medley.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a request path to a route. Routes are grouped by segment count; within a group literal
 * segments win over parameters, so {@code /products/featured} beats {@code /products/{id}}.
 */
public final class Router {
  private final Map<Integer, List<RoutePlan>> bySize = new LinkedHashMap<>();

  Router(List<RoutePlan> routes) {
    for (RoutePlan r : routes) {
      bySize.computeIfAbsent(r.segments().length, k -> new ArrayList<>()).add(r);
    }
    bySize.values().forEach(l -> l.sort(Comparator.comparingInt(Router::paramCount)));
  }

  private static int paramCount(RoutePlan r) {
    int n = 0;
    for (String s : r.segments()) {
      if (s == null) {
        n++;
      }
    }
    return n;
  }

  /** The outcome of matching. */
  public sealed interface Match {}

  /** A route matched; {@code values} are the decoded path segment values by position. */
  public record Found(RoutePlan route, String[] values) implements Match {}

  /** The path exists for other methods only. */
  public record WrongMethod(Set<String> allowed) implements Match {}

  /** No route has this path. */
  public record NotFound() implements Match {}

  /** Matches decoded path segments (without the leading empty one). */
  public Match match(String method, String[] segments) {
    List<RoutePlan> candidates = bySize.get(segments.length);
    if (candidates == null) {
      return new NotFound();
    }
    Set<String> allowed = null;
    for (RoutePlan r : candidates) {
      if (!matches(r.segments(), segments)) {
        continue;
      }
      if (r.method().equals(method)) {
        return new Found(r, segments);
      }
      if (allowed == null) {
        allowed = new LinkedHashSet<>();
      }
      allowed.add(r.method());
    }
    return allowed == null ? new NotFound() : new WrongMethod(allowed);
  }

  private static boolean matches(String[] pattern, String[] path) {
    for (int i = 0; i < pattern.length; i++) {
      if (pattern[i] != null && !pattern[i].equals(path[i])) {
        return false;
      }
      if (pattern[i] == null && path[i].isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
