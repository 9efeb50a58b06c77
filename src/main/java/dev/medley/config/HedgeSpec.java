package dev.medley.config;

import java.time.Duration;
import java.util.List;

/**
 * Hedged requests to one upstream: when an attempt has not answered after {@code after}, one more
 * identical attempt is sent and the first good answer wins. Only idempotent methods are hedged, and
 * every hedge is taken from the upstream's retry budget (see docs/resilience.md).
 *
 * @param after how long the first attempt may run before a hedge is sent
 * @param max most hedges per call beside the first attempt, 1 by default
 * @param methods methods that are hedged; GET and HEAD by default, never POST or PATCH
 */
public record HedgeSpec(Duration after, int max, List<String> methods) {}
