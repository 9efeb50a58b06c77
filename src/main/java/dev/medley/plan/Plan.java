package dev.medley.plan;

import dev.medley.config.MedleySpec;
import java.util.List;

/**
 * The executable form of a config: compiled once, immutable, swapped atomically on reload. Holds no
 * connections; the gateway pairs it with upstream clients.
 *
 * @param spec the config it was compiled from
 * @param routes every route
 * @param router matches requests to routes
 * @param version a short hash of the config text, shown by the admin API and in logs
 */
public record Plan(MedleySpec spec, List<RoutePlan> routes, Router router, String version) {}
