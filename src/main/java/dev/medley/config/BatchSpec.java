package dev.medley.config;

/**
 * A batch endpoint that answers many forEach items in one call.
 *
 * @param method HTTP method, POST by default
 * @param path path template; may use {@code items} (the chunk) as well as the route's variables
 * @param body body template; a string that is exactly {@code "{items}"} becomes the JSON list
 * @param max most items per call, 50 by default; longer lists are split into several calls
 * @param resultsAt dotted path to the results list in the response body; empty means the body
 *     itself
 * @param matchOn dotted path to the field of each result that equals its item's key (compared as
 *     text, so {@code "1"} matches {@code 1}); null means results are in key order, or looked up by
 *     key when the results are an object
 * @param query query parameters of the batch call: name to template; {@code "{items}"} sends one
 *     parameter per key ({@code id=1&id=2})
 * @param key expression giving each item's key ({@code item.productId}); null means the item
 *     itself. Items with the same key are sent once and each gets the result; a null key is not
 *     sent
 * @param missing the result of an item whose key has no result in the answer; JSON null by default
 * @param window how long items from concurrent requests are gathered into shared batch calls; zero
 *     (the default) batches each request's items on their own
 */
public record BatchSpec(
    String method,
    Text path,
    ValueSpec body,
    int max,
    String resultsAt,
    String matchOn,
    java.time.Duration window,
    java.util.Map<String, Text> query,
    Text key,
    com.fasterxml.jackson.databind.JsonNode missing,
    Src at) {}
