package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * How a forEach step calls its batch endpoint: each item's key ({@code key}, or the item itself),
 * distinct keys in chunks of at most {@code max}, sent in the path, query or body; results found at
 * {@code resultsAt} and matched to keys by the field at {@code matchOn} (or by position, or by
 * property when the results are an object). An item whose key has no result gets {@code missing}. A
 * non-zero {@code window} gathers keys of concurrent requests into shared calls.
 */
public record BatchPlan(
    String method,
    PathTemplate path,
    ValueTemplate body,
    int max,
    String[] resultsAt,
    String[] matchOn,
    Duration window,
    String[] queryNames,
    TextTemplate[] queryValues,
    Expr key,
    JsonNode missing) {}
