package dev.medley.config;

/**
 * A shadow step: sent like any step but never awaited, never part of the answer and never a reason
 * for a partial answer; used to try a new upstream with real traffic during a migration.
 *
 * @param share the share of requests that send it, 1.0 (100%) by default
 * @param maxInFlight most shadow calls of this step in flight at once, 64 by default; calls beyond
 *     it are dropped and counted
 */
public record ShadowSpec(double share, int maxInFlight) {}
