package dev.medley.gateway;

import dev.medley.admin.Readiness;
import dev.medley.config.UpstreamSpec;
import dev.medley.plan.Plan;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.StepPlan;
import dev.medley.time.Clock;
import dev.medley.upstream.client.HealthProbe;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The health probes of one plan's upstreams, and which of them may count toward readiness: an
 * upstream is critical when at least one step without {@code optional:} calls it.
 */
final class HealthChecks {
  private final List<HealthProbe> probes;
  private final Set<String> critical;

  private HealthChecks(List<HealthProbe> probes, Set<String> critical) {
    this.probes = probes;
    this.critical = critical;
  }

  static HealthChecks start(Vertx vertx, Context context, Plan plan, Clock clock) {
    List<HealthProbe> probes = new ArrayList<>();
    for (UpstreamSpec u : plan.spec().upstreams().values()) {
      if (u.health() != null) {
        probes.add(HealthProbe.start(vertx, context, u, clock));
      }
    }
    return new HealthChecks(probes, criticalUpstreams(plan));
  }

  /** Upstreams called by at least one critical step of any route. */
  static Set<String> criticalUpstreams(Plan plan) {
    Set<String> out = new HashSet<>();
    for (RoutePlan r : plan.routes()) {
      for (StepPlan s : r.steps()) {
        if (!s.optional()) {
          out.add(s.upstream());
        }
      }
    }
    return out;
  }

  List<Readiness.UpstreamCheck> report() {
    List<Readiness.UpstreamCheck> out = new ArrayList<>();
    for (HealthProbe p : probes) {
      out.add(
          new Readiness.UpstreamCheck(
              p.upstream(),
              p.up(),
              critical.contains(p.upstream()),
              p.failures(),
              p.lastProblem()));
    }
    return out;
  }

  /** Completes once every probe has its first check scheduled. */
  Future<Void> started() {
    return Future.all(probes.stream().map(HealthProbe::started).toList()).mapEmpty();
  }

  /** Completes when every probe has finished one more check. */
  Future<Void> nextRound() {
    List<Future<Void>> all = new ArrayList<>();
    probes.forEach(p -> all.add(p.nextCheck()));
    return Future.all(all).mapEmpty();
  }

  void stop() {
    probes.forEach(HealthProbe::stop);
  }
}
