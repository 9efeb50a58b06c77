package dev.medley.plan;

import dev.medley.config.ExperienceSpec;
import dev.medley.config.ForwardSpec;
import dev.medley.config.JwtSpec;
import dev.medley.config.MedleySpec;
import dev.medley.config.Problems;
import dev.medley.config.ResponseHeadersSpec;
import dev.medley.config.RouteSpec;
import dev.medley.config.StepSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What passes between the client and a route's upstreams besides templates: the client headers and
 * query parameters each step forwards (experience, route, step: the nearest wins), the upstream
 * answer headers copied back, and whether the client's {@code Cache-Control} is composed. A route
 * that uses none of it compiles to no {@code Passing} at all, so it runs exactly as before.
 *
 * <p>Arrays are indexed by step index; a null entry means "nothing" for that step.
 *
 * @param forwardHeaders per step, the client headers its calls carry
 * @param forwardQuery per step, the client query parameters its calls carry
 * @param copy per step, the answer headers copied to the client
 * @param composedCacheControl true when the client's {@code Cache-Control} is composed from the
 *     route's and the upstream answers'
 * @param stepIndex step name to index, to find a call's step
 */
public record Passing(
    NameFilter[] forwardHeaders,
    NameFilter[] forwardQuery,
    NameFilter[] copy,
    boolean composedCacheControl,
    Map<String, Integer> stepIndex) {

  /** True when some step forwards something of the client's. */
  public boolean forwards() {
    for (int i = 0; i < forwardHeaders.length; i++) {
      if (forwardHeaders[i] != null || forwardQuery[i] != null) {
        return true;
      }
    }
    return false;
  }

  /** True when something of the upstream answers reaches the client. */
  public boolean copies() {
    if (composedCacheControl) {
      return true;
    }
    for (NameFilter f : copy) {
      if (f != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The route's passing rules, or null when it has none; misuse (forwarding into a cache whose key
   * would not see it, naming a header the gateway fills from claims) goes to {@code problems}.
   */
  static Passing compile(
      MedleySpec spec,
      ExperienceSpec exp,
      RouteSpec route,
      List<StepSpec> steps,
      String keyPath,
      Problems problems) {
    int n = steps.size();
    NameFilter[] headers = new NameFilter[n];
    NameFilter[] query = new NameFilter[n];
    NameFilter[] copy = new NameFilter[n];
    Map<String, Integer> index = new HashMap<>();
    Set<String> claimHeaders = claimHeaders(spec);
    Set<ForwardSpec.NameRule> checked =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    boolean any = false;
    for (int i = 0; i < n; i++) {
      StepSpec s = steps.get(i);
      index.put(s.name(), i);
      ForwardSpec.NameRule h = nearest(ForwardSpec::headers, s.forward(), route.forward(), exp);
      ForwardSpec.NameRule q = nearest(ForwardSpec::query, s.forward(), route.forward(), exp);
      if (h != null && checked.add(h)) {
        checkClaims(h, claimHeaders, problems, keyPath + ".steps." + s.name() + ".forward");
      }
      headers[i] = filter(h, NameFilter.Kind.FORWARD_HEADER);
      query[i] = filter(q, NameFilter.Kind.FORWARD_QUERY);
      if (headers[i] != null || query[i] != null) {
        String where = keyPath + ".steps." + s.name();
        if (s.cache() != null) {
          problems.add(
              s.at(),
              where + ".cache",
              "step '"
                  + s.name()
                  + "' forwards client headers or query parameters and has cache: (expected"
                  + " forward with empty allow lists on this step, or templates: the cache key"
                  + " only sees what templates send)");
        }
        if (route.cache() != null) {
          problems.add(
              s.at(),
              where + ".forward",
              "step '"
                  + s.name()
                  + "' forwards client headers or query parameters on a route with cache: (expected"
                  + " them declared under the route's query:/headers: and sent by templates, so the"
                  + " response cache key includes them; an inherited forward is turned off with"
                  + " allow: [])");
        }
      }
      if ((headers[i] != null || query[i] != null)
          && s.batch() != null
          && !s.batch().window().isZero()) {
        problems.add(
            s.at(),
            keyPath + ".steps." + s.name() + ".batch.window",
            "step '"
                + s.name()
                + "' forwards client headers or query parameters and shares batch calls across"
                + " requests (expected no window, or no forwarding: one client's headers would"
                + " travel with other clients' items)");
      }
      ResponseHeadersSpec rh =
          s.responseHeaders() != null ? s.responseHeaders() : route.responseHeaders();
      if (rh != null && route.cache() != null && namesSetCookie(rh)) {
        problems.add(
            rh.at(),
            keyPath
                + (rh == route.responseHeaders() ? "" : ".steps." + s.name())
                + ".responseHeaders",
            "Set-Cookie copied on a route with cache: (expected no Set-Cookie: an answer carrying"
                + " cookies is never stored, and requests waiting for the same fill would share"
                + " the cookies of the one that ran)");
      }
      copy[i] =
          rh == null || rh.allow().isEmpty()
              ? null
              : NameFilter.of(NameFilter.Kind.RESPONSE_HEADER, rh.allow(), false);
      any |= headers[i] != null || query[i] != null || copy[i] != null;
    }
    boolean composed =
        route.responseHeaders() != null && route.responseHeaders().composedCacheControl();
    if (composed && !"GET".equals(route.method())) {
      problems.add(
          route.responseHeaders().at(),
          keyPath + ".responseHeaders.cacheControl",
          "composed on a "
              + route.method()
              + " route (expected a GET route: only GET answers get a Cache-Control)");
    }
    if (!any && !composed) {
      return null;
    }
    return new Passing(headers, query, copy, composed, Map.copyOf(index));
  }

  private static ForwardSpec.NameRule nearest(
      Function<ForwardSpec, ForwardSpec.NameRule> part,
      ForwardSpec step,
      ForwardSpec route,
      ExperienceSpec exp) {
    for (ForwardSpec f : new ForwardSpec[] {step, route, exp.forward()}) {
      if (f != null && part.apply(f) != null) {
        return part.apply(f);
      }
    }
    return null;
  }

  private static NameFilter filter(ForwardSpec.NameRule r, NameFilter.Kind kind) {
    if (r == null) {
      return null;
    }
    NameFilter f = NameFilter.of(r, kind);
    return f.empty() ? null : f;
  }

  private static Set<String> claimHeaders(MedleySpec spec) {
    JwtSpec jwt = spec.auth().jwt();
    if (jwt == null) {
      return Set.of();
    }
    return jwt.forwardClaims().values().stream()
        .map(v -> v.toLowerCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * A header the gateway fills from verified claims is stripped from clients: never forwardable.
   */
  private static void checkClaims(
      ForwardSpec.NameRule r, Set<String> claimHeaders, Problems problems, String where) {
    if (r.except()) {
      return;
    }
    for (String name : r.names()) {
      if (claimHeaders.contains(name.toLowerCase(Locale.ROOT))) {
        problems.add(
            r.at(),
            where,
            "'"
                + name
                + "' is filled by the gateway from verified claims (auth.jwt.forwardClaims) and"
                + " stripped from clients (expected another header name)");
      }
    }
  }

  /** A query component percent-encoded as templates encode it (RFC 3986 unreserved kept). */
  public static String encode(String s) {
    return Encoding.component(s);
  }

  private static boolean namesSetCookie(ResponseHeadersSpec rh) {
    return rh.allow().stream().anyMatch(n -> n.equalsIgnoreCase("set-cookie"));
  }
}
