package dev.medley.observe;

/**
 * Every name Medley emits for operators, in one place: metric names and their labels, span names
 * and attributes, access log fields and the headers that carry request identity. These are public
 * API: dashboards, alerts and log pipelines are built on them, so a change here is a breaking
 * change.
 *
 * <p>Metric names are given in Micrometer's dotted form; the Prometheus names (what {@code GET
 * /metrics} shows) follow from them: {@code _total} for counters, {@code _seconds} for timers, dots
 * become underscores. Each metric's javadoc names its Prometheus form and its labels. Every {@code
 * _seconds} metric is a histogram with the same buckets, 0.5ms to 30s ({@code _bucket{le}}, {@code
 * _count}, {@code _sum}); p50, p95 and p99 are {@code histogram_quantile(0.99, ...)} over them.
 *
 * <p>Every label has a bounded set of values. None ever holds a raw path, a query value, a user id
 * or a request id: routes are labelled by their template, upstreams and steps by their configured
 * names, outcomes by the fixed words listed below.
 */
public final class TelemetryNames {
  private TelemetryNames() {}

  // ---- metrics: requests (RED per experience, route, version and status class) ----

  /** {@code medley_requests_total{experience, route, version, status_class}}: answered requests. */
  public static final String REQUESTS = "medley.requests";

  /**
   * {@code medley_request_duration_seconds{experience, route, version, status_class}}: time from
   * the request being read to the answer being ready; a histogram ({@code _bucket{le}}, {@code
   * _count}, {@code _sum}): p50/p95/p99 are {@code histogram_quantile} over its buckets.
   */
  public static final String REQUEST_DURATION = "medley.request.duration";

  /** {@code medley_requests_in_flight}: requests read but not yet answered. */
  public static final String REQUESTS_IN_FLIGHT = "medley.requests.in.flight";

  /**
   * {@code medley_responses_partial_total{experience, route, version}}: 200 answers in which at
   * least one optional step fell back. Divide by the 2xx requests for the partial-response rate.
   */
  public static final String PARTIAL_RESPONSES = "medley.responses.partial";

  // ---- metrics: steps and upstreams ----

  /**
   * {@code medley_step_duration_seconds{experience, route, step, outcome}}: one step of one
   * request, all of its calls and retries included; {@code outcome} is a {@code STEP_*} value.
   */
  public static final String STEP_DURATION = "medley.step.duration";

  /**
   * {@code medley_upstream_duration_seconds{upstream, outcome}}: one attempt (one HTTP exchange);
   * {@code outcome} is a status class or an {@code UPSTREAM_*} failure word.
   */
  public static final String UPSTREAM_DURATION = "medley.upstream.duration";

  /** {@code medley_upstream_attempts_total{upstream, outcome}}: attempts, retries included. */
  public static final String UPSTREAM_ATTEMPTS = "medley.upstream.attempts";

  /**
   * {@code medley_upstream_timeouts_total{upstream, kind}}: attempts cut short by time; {@code
   * kind} is {@link #UPSTREAM_TIMEOUT} (the attempt's own timeout) or {@link #UPSTREAM_DEADLINE}
   * (the request's deadline).
   */
  public static final String UPSTREAM_TIMEOUTS = "medley.upstream.timeouts";

  /** {@code medley_upstream_retries_total{upstream}}: retries sent (attempts after the first). */
  public static final String UPSTREAM_RETRIES = "medley.upstream.retries";

  /**
   * {@code medley_upstream_hedges_total{upstream, outcome}}: hedged attempts; {@code outcome} is
   * {@link #HEDGE_SENT}, {@link #HEDGE_WON} or {@link #HEDGE_REFUSED}.
   */
  public static final String UPSTREAM_HEDGES = "medley.upstream.hedges";

  /**
   * {@code medley_shadow_calls_total{route, step, outcome}}: shadow steps of answered requests;
   * {@code outcome} is {@link #SHADOW_OK}, {@link #SHADOW_FAILED} or {@link #SHADOW_DROPPED}.
   */
  public static final String SHADOW_CALLS = "medley.shadow.calls";

  // ---- metrics: resilience, cache and limits (recorded through Metrics) ----

  /**
   * {@code medley_breaker_state{upstream, state}}: 1 for the breaker's current state, 0 for the
   * others.
   */
  public static final String BREAKER_STATE = "medley.breaker.state";

  /**
   * {@code medley_breaker_transitions_total{upstream, from, to}}: circuit breaker state changes.
   */
  public static final String BREAKER_TRANSITIONS = "medley.breaker.transitions";

  /** {@code medley_cache_requests_total{cache, result}}: cache lookups by layer and result. */
  public static final String CACHE_REQUESTS = "medley.cache.requests";

  /** {@code medley_rate_limited_total{experience}}: requests refused with 429 by a rate limit. */
  public static final String RATE_LIMITED = "medley.rate.limited";

  /**
   * {@code medley_config_reloads_total{outcome}}: config reloads by outcome (applied, unchanged,
   * rejected, unavailable).
   */
  public static final String CONFIG_RELOADS = "medley.config.reloads";

  /**
   * {@code medley_config_files_held}: files of a folder config serving their last good version
   * after an invalid change.
   */
  public static final String CONFIG_FILES_HELD = "medley.config.files.held";

  // ---- metrics: shared state (Redis) ----

  /**
   * {@code medley_state_redis_seconds{op, outcome}}: Redis calls by operation ({@code rate_limit},
   * {@code cache_get}, {@code cache_put}, {@code invalidate}, {@code lease}) and outcome ({@code
   * ok}, {@code error}, {@code timeout}, {@code rejected} by the open breaker, {@code noscript}:
   * the script was sent once more in full).
   */
  public static final String STATE_REDIS = "medley.state.redis";

  /**
   * {@code medley_state_mode{concern, mode}}: 1 for each concern's current mode, 0 for the others;
   * concern {@code rate_limits} ({@code shared}, {@code local}, {@code closed}) and {@code cache}
   * ({@code shared}, {@code bypassed}).
   */
  public static final String STATE_MODE = "medley.state.mode";

  // ---- metrics: the gateway itself ----

  /**
   * {@code medley_access_log_dropped_total}: access log lines dropped because the writer fell
   * behind.
   */
  public static final String ACCESS_LOG_DROPPED = "medley.access.log.dropped";

  /**
   * {@code medley_eventloop_lag_seconds}: how long a task posted to an event loop waited before it
   * ran, probed every second on every loop. Above a few milliseconds, something is hogging a loop.
   */
  public static final String EVENT_LOOP_LAG = "medley.eventloop.lag";

  /**
   * {@code medley_eventloop_pending_tasks{loop}}: tasks queued on each event loop ({@code loop} is
   * 0..n-1).
   */
  public static final String EVENT_LOOP_PENDING = "medley.eventloop.pending.tasks";

  // ---- metric labels ----

  /** The experience's configured name, or {@link #NONE} when no route matched. */
  public static final String L_EXPERIENCE = "experience";

  /** Method and path template, e.g. {@code GET /web/v2/products/{id}}, or {@link #UNMATCHED}. */
  public static final String L_ROUTE = "route";

  /**
   * The API version: the first segment of the route template that is {@code v} followed by digits
   * ({@code /web/v2/products/{id}} is {@code v2}), else {@link #NONE}.
   */
  public static final String L_VERSION = "version";

  /** {@code 1xx} to {@code 5xx}. */
  public static final String L_STATUS_CLASS = "status_class";

  /** The step's configured name. */
  public static final String L_STEP = "step";

  /**
   * A {@code STEP_*} word for steps; a status class or an {@code UPSTREAM_*} word for upstreams.
   */
  public static final String L_OUTCOME = "outcome";

  /** The upstream's configured name. */
  public static final String L_UPSTREAM = "upstream";

  /** {@link #UPSTREAM_TIMEOUT} or {@link #UPSTREAM_DEADLINE}. */
  public static final String L_KIND = "kind";

  /** A {@link BreakerState} label. */
  public static final String L_STATE = "state";

  /** A {@link BreakerState} label: the state left. */
  public static final String L_FROM = "from";

  /** A {@link BreakerState} label: the state entered. */
  public static final String L_TO = "to";

  /** A {@link CacheLayer} label. */
  public static final String L_CACHE = "cache";

  /** A {@link CacheResult} label. */
  public static final String L_RESULT = "result";

  /** Event loop number, 0 to the number of loops minus one. */
  public static final String L_LOOP = "loop";

  /** A Redis operation of shared state, e.g. {@code rate_limit}. */
  public static final String L_OP = "op";

  /** A shared-state concern: {@code rate_limits} or {@code cache}. */
  public static final String L_CONCERN = "concern";

  /** A shared-state mode: {@code shared}, {@code local}, {@code closed} or {@code bypassed}. */
  public static final String L_MODE = "mode";

  // ---- label values ----

  /** No value applies: no experience (unmatched request), no version segment, no cache. */
  public static final String NONE = "none";

  /** The route label of requests that matched no route (404, 405, malformed path). */
  public static final String UNMATCHED = "unmatched";

  /** Step outcome: answered. */
  public static final String STEP_OK = "ok";

  /** Step outcome: optional step that failed and took its fallback. */
  public static final String STEP_DEGRADED = "degraded";

  /** Step outcome: critical step that failed the request. */
  public static final String STEP_FAILED = "failed";

  /** Step outcome: {@code when:} was false. */
  public static final String STEP_SKIPPED = "skipped";

  /** Step outcome in logs and explain only: the request ended before the step did. */
  public static final String STEP_PENDING = "pending";

  /**
   * Step outcome of a shadow step that was sent; its duration is zero, since the answer never waits
   * for it. How the call itself ended is counted in {@link #SHADOW_CALLS}.
   */
  public static final String STEP_SHADOW = "shadow";

  /** Shadow call outcome: the shadow upstream answered with a 2xx. */
  public static final String SHADOW_OK = "ok";

  /** Shadow call outcome: it failed (status, timeout, connection, expression). */
  public static final String SHADOW_FAILED = "failed";

  /** Shadow call outcome: not sent, the step's {@code maxInFlight} calls were in flight. */
  public static final String SHADOW_DROPPED = "dropped";

  /** Hedge outcome: a hedged attempt was sent. */
  public static final String HEDGE_SENT = "sent";

  /** Hedge outcome: a hedged attempt answered first and its answer was used. */
  public static final String HEDGE_WON = "won";

  /** Hedge outcome: a hedge was due but the upstream's retry budget was spent. */
  public static final String HEDGE_REFUSED = "refused";

  /** Upstream outcome: could not connect. */
  public static final String UPSTREAM_CONNECT = "connect";

  /** Upstream outcome: the connection broke mid-answer. */
  public static final String UPSTREAM_RESET = "reset";

  /** Upstream outcome: the attempt's own timeout passed. */
  public static final String UPSTREAM_TIMEOUT = "timeout";

  /** Upstream outcome: the request's deadline passed during the attempt. */
  public static final String UPSTREAM_DEADLINE = "deadline";

  /** Upstream outcome: the answer was larger than {@code maxResponseSize}. */
  public static final String UPSTREAM_TOO_LARGE = "too_large";

  /** Upstream outcome: a local policy refused to send (open breaker, full bulkhead). */
  public static final String UPSTREAM_REJECTED = "rejected";

  /** Upstream outcome: anything else (a bug, not an upstream failure). */
  public static final String UPSTREAM_ERROR = "error";

  /** Cache result of a step whose calls had different results, in logs and explain only. */
  public static final String CACHE_MIXED = "mixed";

  // ---- spans ----

  /** Prefix of an attempt span's name; see {@link #attemptSpanName}. */
  public static final String SPAN_ATTEMPT_PREFIX = "step ";

  /**
   * The server span of a request (kind SERVER): {@code <METHOD> <route template>} once matched,
   * e.g. {@code GET /web/v2/products/{id}}, or just {@code <METHOD>} when no route matched.
   */
  public static String serverSpanName(String method, String template) {
    return template == null ? method : method + " " + template;
  }

  /**
   * An attempt span (kind CLIENT, child of the server span): {@code step <step name>}, one per
   * attempt.
   */
  public static String attemptSpanName(String step) {
    return SPAN_ATTEMPT_PREFIX + step;
  }

  /** Span attribute: HTTP method (server and attempt spans). */
  public static final String A_HTTP_METHOD = "http.request.method";

  /** Span attribute: the route template (server span). */
  public static final String A_HTTP_ROUTE = "http.route";

  /** Span attribute: the answer's status (server span; attempt span when one came back). */
  public static final String A_HTTP_STATUS = "http.response.status_code";

  /** Span attribute: the failure word of a failed attempt, or the status class of a 5xx. */
  public static final String A_ERROR_TYPE = "error.type";

  /** Span attribute: experience name (server span). */
  public static final String A_EXPERIENCE = "medley.experience";

  /** Span attribute: API version label (server span). */
  public static final String A_VERSION = "medley.version";

  /** Span attribute: request id (server span). */
  public static final String A_REQUEST_ID = "medley.request_id";

  /**
   * Span attribute: names of degraded steps, comma-separated (server span, partial answers only).
   */
  public static final String A_PARTIAL = "medley.partial_steps";

  /** Span attribute: step name (attempt span). */
  public static final String A_STEP = "medley.step";

  /** Span attribute: upstream name (attempt span). */
  public static final String A_UPSTREAM = "medley.upstream";

  /**
   * Span attribute: 0 for the first attempt of a call, 1 for the first retry, ... (attempt span).
   */
  public static final String A_RETRY = "medley.retry";

  /**
   * Span attribute: the cache's result for this call, a {@link CacheResult} label or {@link #NONE}.
   */
  public static final String A_CACHE = "medley.cache";

  /** Span attribute: the attempt's outcome, as in the upstream metrics' {@code outcome} label. */
  public static final String A_OUTCOME = "medley.outcome";

  // ---- access log fields (one JSON object per line) ----

  /** ISO-8601 UTC time the request was read. */
  public static final String F_TIME = "time";

  public static final String F_REQUEST_ID = "requestId";

  /** 32 hex digits, or absent when the request carried no trace context and tracing is off. */
  public static final String F_TRACE_ID = "traceId";

  public static final String F_METHOD = "method";
  public static final String F_EXPERIENCE = "experience";

  /** The route template (never the raw path), or {@link #UNMATCHED}. */
  public static final String F_ROUTE = "route";

  public static final String F_VERSION = "version";
  public static final String F_STATUS = "status";

  /** Milliseconds with microsecond precision. */
  public static final String F_DURATION_MS = "durationMs";

  /** Names of the steps that fell back (empty list when none). */
  public static final String F_PARTIAL = "partial";

  /**
   * One object per step: {@code step, outcome, reason, startMs, durationMs, calls, attempts,
   * cache}.
   */
  public static final String F_STEPS = "steps";

  public static final String F_STEP = "step";
  public static final String F_OUTCOME = "outcome";

  /** Failure word of a failed or degraded step (e.g. TIMEOUT, STATUS, DEADLINE), else absent. */
  public static final String F_REASON = "reason";

  public static final String F_START_MS = "startMs";
  public static final String F_CALLS = "calls";
  public static final String F_ATTEMPTS = "attempts";
  public static final String F_CACHE = "cache";

  /**
   * Where shared state came from, only with a {@code state:} backend: an object with {@code
   * rateLimits} and/or {@code cache}, each {@code redis}, {@code local} or {@code closed}.
   */
  public static final String F_STATE = "state";

  /** In {@link #F_STATE}: which store decided the rate limits. */
  public static final String F_STATE_RATE_LIMITS = "rateLimits";

  /** In {@link #F_STATE}: which tier the cached response came from. */
  public static final String F_STATE_CACHE = "cache";

  /** Request body bytes read. */
  public static final String F_BYTES_IN = "bytesIn";

  /** Response body bytes written. */
  public static final String F_BYTES_OUT = "bytesOut";

  // ---- headers ----

  /**
   * Request id: accepted from clients when it is 1 to 128 of {@code A-Z a-z 0-9 . _ : -}; always
   * answered.
   */
  public static final String H_REQUEST_ID = "x-request-id";

  /** W3C trace context, accepted inbound and sent to upstreams. */
  public static final String H_TRACEPARENT = "traceparent";

  /** W3C trace state, passed along with {@link #H_TRACEPARENT}. */
  public static final String H_TRACESTATE = "tracestate";

  /** {@code 1} asks for the executed plan beside the body; needs {@link #H_ADMIN_TOKEN}. */
  public static final String H_EXPLAIN = "x-medley-explain";

  /**
   * The admin token for explain mode, as {@code <token>} or {@code Bearer <token>}. A header of its
   * own so that it never competes with a user's {@code Authorization} header.
   */
  public static final String H_ADMIN_TOKEN = "x-medley-admin-token";
}
