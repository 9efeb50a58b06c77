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
  StepCache NONE = (step, call, scope, fetch) -> fetch.get().map(f -> StepValue.of(f.value()));

  /**
   * The result of {@code call} for this request: fails like {@code fetch} does, or succeeds with a
   * value that says whether a stale entry stood in for a failed call.
   */
  Future<StepValue> load(
      StepPlan step, StepCall call, Scope scope, Supplier<Future<Fetched>> fetch);

  /** An upstream answer as the step read it: the parsed body and the raw response (for storing). */
  record Fetched(JsonNode value, UpstreamResponse response) {}
}
