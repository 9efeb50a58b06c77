package dev.medley.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * One upstream call in a route. A step that references another waits for it; all others start at
 * once.
 *
 * @param name the key it is declared under; other steps and the response refer to its result by it
 * @param upstream name of the upstream to call
 * @param method GET (default), POST, PUT, DELETE, PATCH or HEAD
 * @param path RFC 6570 path template; every variable is percent-encoded
 * @param query query parameters sent upstream: name to template
 * @param skipEmptyQuery true leaves out a query parameter whose value fills to empty text (an
 *     absent value and an empty list are always left out)
 * @param headers extra headers sent upstream: name to template (CR/LF never pass)
 * @param body request body for POST/PUT/PATCH: JSON with templates in strings
 * @param when expression; the step runs only when it is true, otherwise its result is null
 * @param forEach expression yielding a list; the step runs once per item (or through {@code batch})
 * @param as name of the per-item variable for forEach, {@code item} by default
 * @param concurrency most per-item calls in flight at once for forEach, 8 by default
 * @param batch a batch endpoint used instead of one call per item
 * @param select expression over {@code result} applied to the upstream body, e.g. {@code
 *     result.data}
 * @param merge forEach only: null (the default) keeps the results as they are; empty merges each
 *     result's fields into its item; a name puts each result into its item under that key
 * @param optional true when the step may fail: its result then becomes {@code fallback}
 * @param fallback the value used when an optional step fails
 * @param timeout per-call timeout overriding the upstream's; still capped by the deadline
 * @param cache how the step's upstream answers are cached; null (the default) means they are not
 * @param shadow non-null for a shadow step: sent, never awaited, its result invisible (migrations)
 * @param passErrors which of this critical step's upstream error statuses pass to the client (over
 *     the route's), or null
 * @param example what the upstream answers this step, as documentation: {@code medley mock} answers
 *     with it and {@code medley openapi} derives response schemas from it; null when not given. For
 *     a forEach step, the answer to one item's call
 * @param forward client headers and query parameters this step forwards, over its route's; null
 *     inherits
 * @param responseHeaders upstream answer headers of this step copied to the client, replacing its
 *     route's list; null inherits
 * @param graphql the GraphQL query this step sends (its {@code body} is then the query and
 *     variables); null for a plain call
 * @param bodyUse whether the client's body is forwarded and how the answer is read ({@code
 *     forwardBody}, {@code responseType}); {@link BodyUse#DEFAULT} when neither is set
 */
public record StepSpec(
    String name,
    String upstream,
    String method,
    Text path,
    Map<String, Text> query,
    boolean skipEmptyQuery,
    Map<String, Text> headers,
    ValueSpec body,
    Text when,
    Text forEach,
    String as,
    int concurrency,
    BatchSpec batch,
    Text select,
    String merge,
    boolean optional,
    JsonNode fallback,
    Duration timeout,
    CacheRuleSpec cache,
    ShadowSpec shadow,
    PassErrorsSpec passErrors,
    Src at,
    JsonNode example,
    ForwardSpec forward,
    ResponseHeadersSpec responseHeaders,
    GraphqlSpec graphql,
    BodyUse bodyUse) {}
