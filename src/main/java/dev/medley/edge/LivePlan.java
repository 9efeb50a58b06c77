package dev.medley.edge;

import dev.medley.engine.Upstreams;
import dev.medley.plan.Plan;

/** A compiled plan paired with the upstream clients it calls: what one request runs against. */
public record LivePlan(Plan plan, Upstreams upstreams) {}
