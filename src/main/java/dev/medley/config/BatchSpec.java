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
 * @param matchOn field of each result that equals its item; null means results are in item order
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
    Src at) {}
