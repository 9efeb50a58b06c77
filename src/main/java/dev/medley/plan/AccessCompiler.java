package dev.medley.plan;

import dev.medley.config.AccessSpec;
import dev.medley.config.ExperienceSpec;
import dev.medley.config.JwtSpec;
import dev.medley.config.MedleySpec;
import dev.medley.config.RateLimitSpec;
import dev.medley.config.RouteSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Folds an experience's and a route's {@code access} into the route's {@link RouteAccess}. */
final class AccessCompiler {
  private AccessCompiler() {}

  static RouteAccess compile(MedleySpec spec, ExperienceSpec e, RouteSpec r, String routeId) {
    JwtSpec jwtSpec = spec.auth().jwt();
    AccessSpec ea = e.access();
    AccessSpec ra = r.access();
    String auth =
        ra.auth() != null ? ra.auth() : ea.auth() != null ? ea.auth() : spec.auth().defaultMode();
    boolean jwt = auth.equals("jwt") && jwtSpec != null;
    boolean basic = auth.equals("basic") && spec.auth().basic() != null;
    Set<String> scopes = new LinkedHashSet<>();
    if (jwt) {
      scopes.addAll(ea.scopes());
      scopes.addAll(ra.scopes());
    }
    List<RouteAccess.RateTier> tiers = new ArrayList<>();
    addTiers(tiers, ea.rateLimits(), "experience " + e.name());
    addTiers(tiers, ra.rateLimits(), "route " + routeId);
    long maxBody =
        ra.maxBodySize() != null ? ra.maxBodySize() : spec.server().limits().maxBodySize();
    return new RouteAccess(
        jwt,
        List.copyOf(scopes),
        jwt ? jwtSpec.scopeClaim() : "scope",
        List.copyOf(tiers),
        maxBody,
        jwt ? jwtSpec.forwardClaims() : Map.of(),
        jwt && ra.forwardAuthorization(),
        basic);
  }

  private static void addTiers(
      List<RouteAccess.RateTier> out, List<RateLimitSpec> specs, String scope) {
    for (int i = 0; i < specs.size(); i++) {
      RateLimitSpec s = specs.get(i);
      out.add(
          new RouteAccess.RateTier(s.name(), scope + " #" + i, s.key(), s.perSecond(), s.burst()));
    }
  }
}
