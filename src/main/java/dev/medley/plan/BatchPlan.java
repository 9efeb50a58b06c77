package dev.medley.plan;

/**
 * How a forEach step calls its batch endpoint: chunks of at most {@code max} items, results found
 * at {@code resultsAt} and matched to items by {@code matchOn} (or by position).
 */
public record BatchPlan(String method, PathTemplate path, ValueTemplate body, int max, String[] resultsAt, String matchOn) {}
