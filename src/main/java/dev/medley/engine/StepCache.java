package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.plan.Scope;
import dev.medley.plan.StepCall;
import dev.medley.plan.StepPlan;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Cached step results, for steps with {@code cache:}. The engine only asks for a value; the cache
 * package decides between a hit, a stale answer and a call through {@code fetch}. {@link #NONE}
 * always calls.
 */
public interface StepCache {
  /** A cache that stores nothing. */
  StepCache NONE = (step, call, scope, fetch) -> fetch.get().map(Fetched::value);

  /**
   * The result of {@code call} for this request. Fails like {@code fetch} does, or with a
   * {@link StaleResult} when the call failed but a stale value may stand in for it.
   */
  Future<JsonNode> load(StepPlan step, StepCall call, Scope scope, Supplier<Future<Fetched>> fetch);

  /**
   * An upstream answer as the step read it: the parsed body, the raw response, and whether it came
   * from the stale-if-error source rather than the upstream (such an answer is never stored again).
   */
  record Fetched(JsonNode value, UpstreamResponse response, boolean stale) {}
}
