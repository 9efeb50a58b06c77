package dev.medley.plan;

import java.time.Duration;

/**
 * How a forEach step calls its batch endpoint: chunks of at most {@code max} items, results found
 * at {@code resultsAt} and matched to items by {@code matchOn} (or by position). A non-zero {@code
 * window} gathers items of concurrent requests into shared calls.
 */
public record BatchPlan(
    String method,
    PathTemplate path,
    ValueTemplate body,
    int max,
    String[] resultsAt,
    String matchOn,
    Duration window) {}
