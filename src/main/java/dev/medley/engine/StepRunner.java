package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.medley.config.BodyUse;
import dev.medley.observe.TelemetryNames;
import dev.medley.plan.BatchPlan;
import dev.medley.plan.Scope;
import dev.medley.plan.StepCall;
import dev.medley.plan.StepPlan;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;

/**
 * Runs one step for one request: a single call, one call per forEach item, or batch calls; each
 * call's timeout is the smaller of the step's and what remains of the request deadline. Steps with
 * {@code cache:} go through the {@link StepCache}; batch steps with a window through the shared
 * {@link BatchWindows}.
 */
final class StepRunner {
  private final Upstreams upstreams;
  private final Clock clock;
  private final long deadlineNanos;
  private final String requestId;
  private final Map<String, String> propagated;
  private final StepCache stepCache;
  private final BatchWindows windows;

  /** Per step index, shared with the execution: calls sent, attempts, cache results. */
  private final StepRecord[] records;

  StepRunner(
      Upstreams upstreams,
      Clock clock,
      long deadlineNanos,
      String requestId,
      Map<String, String> propagated,
      StepRecord[] records,
      StepCache stepCache,
      BatchWindows windows) {
    this.upstreams = upstreams;
    this.clock = clock;
    this.deadlineNanos = deadlineNanos;
    this.requestId = requestId;
    this.stepCache = stepCache;
    this.windows = windows;
    this.propagated = propagated;
    this.records = records;
  }

  Future<StepValue> run(StepPlan step, Scope scope) {
    if (step.forEach() == null) {
      return call(step, step.render(scope), scope);
    }
    JsonNode list = step.forEach().eval(scope);
    if (list == null || list.isNull()) {
      return Future.succeededFuture(StepValue.of(JsonNodeFactory.instance.arrayNode()));
    }
    if (!list.isArray()) {
      return Future.failedFuture(
          new StepException("EXPRESSION", "forEach did not give a list", false, false));
    }
    if (step.batch() != null) {
      return batch(step, (ArrayNode) list, scope).map(r -> StepValue.of(paired(step, list, r)));
    }
    if (step.graphql() != null && step.graphql().batchSize() > 0) {
      return GraphqlCalls.batched(step, (ArrayNode) list, scope, c -> send(step, c))
          .map(r -> StepValue.of(paired(step, list, r)));
    }
    boolean[] stale = {false};
    return Bounded.run(
            list.size(),
            step.concurrency(),
            i -> {
              Scope item = scope.withItem(list.get(i), i);
              // A stale item still fills its place; the whole step is then reported stale.
              return call(step, step.render(item), item)
                  .map(
                      v -> {
                        stale[0] |= v.stale();
                        return v.value();
                      });
            })
        .map(parts -> new StepValue(paired(step, list, toArray(parts)), stale[0]));
  }

  /** The results, or with {@code merge} the items with their own results merged in. */
  private static JsonNode paired(StepPlan step, JsonNode items, JsonNode results) {
    return step.merge() == null ? results : Pairing.merge(step.merge(), items, results);
  }

  /**
   * One result per item, in item order: the distinct keys go out in chunks (or through a shared
   * window), and each item gets the result of its key (or {@code missing}), then its select.
   */
  private Future<JsonNode> batch(StepPlan step, ArrayNode items, Scope scope) {
    BatchPlan b = step.batch();
    BatchKeys keys = BatchKeys.of(b, items, scope);
    ArrayNode unique = keys.unique();
    Future<ArrayNode> shared =
        b.window().isZero() || unique.isEmpty()
            ? null
            : windows.load(
                step,
                unique,
                scope,
                (s, chunk) ->
                    send(step, step.renderBatch(s)).map(body -> BatchKeys.split(b, chunk, body)));
    return (shared != null ? shared : ownChunks(step, unique, scope))
        .<JsonNode>map(
            all -> {
              ArrayNode out = JsonNodeFactory.instance.arrayNode(items.size());
              int[] slot = keys.slot();
              for (int i = 0; i < items.size(); i++) {
                JsonNode r = slot[i] < 0 ? null : all.get(slot[i]);
                if (r == null || r.isNull()) {
                  out.add(b.missing()); // the item's result as configured, without select
                } else if (step.select() == null) {
                  out.add(r);
                } else {
                  Scope at = scope.withItem(items.get(i), i).withResult(r);
                  out.add(orNull(step.select().eval(at)));
                }
              }
              return out;
            });
  }

  /** This request's keys in chunks of {@code max}, sent by this request alone. */
  private Future<ArrayNode> ownChunks(StepPlan step, ArrayNode keys, Scope scope) {
    BatchPlan b = step.batch();
    if (keys.isEmpty()) {
      return Future.succeededFuture(keys);
    }
    int chunks = (keys.size() + b.max() - 1) / b.max();
    return Bounded.run(
            chunks,
            step.concurrency(),
            c -> {
              ArrayNode chunk = JsonNodeFactory.instance.arrayNode();
              for (int i = c * b.max(); i < Math.min(keys.size(), (c + 1) * b.max()); i++) {
                chunk.add(keys.get(i));
              }
              Scope s = scope.withItems(chunk);
              return send(step, step.renderBatch(s)).map(body -> BatchKeys.split(b, chunk, body));
            })
        .map(
            parts -> {
              ArrayNode all = JsonNodeFactory.instance.arrayNode(keys.size());
              for (JsonNode part : parts) {
                all.addAll((ArrayNode) part);
              }
              return all;
            });
  }

  private Future<StepValue> call(StepPlan step, StepCall c, Scope scope) {
    Future<StepValue> body =
        step.cache() == null
            ? send(step, c).map(StepValue::of)
            : stepCache.load(step, c, scope, () -> fetch(step, c));
    if (step.graphql() != null) {
      body = body.map(v -> v.map(answer -> GraphqlCalls.data(step, answer)));
    }
    if (step.select() == null) {
      return body;
    }
    return body.map(v -> v.map(value -> orNull(step.select().eval(scope.withResult(value)))));
  }

  private Future<JsonNode> send(StepPlan step, StepCall c) {
    return fetch(step, c).map(StepCache.Fetched::value);
  }

  private Future<StepCache.Fetched> fetch(StepPlan step, StepCall c) {
    long remaining = deadlineNanos - clock.nanoTime();
    if (remaining <= 0) {
      return Future.failedFuture(
          new StepException(
              "DEADLINE", "the request deadline passed before the call", true, false));
    }
    Duration base = step.timeout() != null ? step.timeout() : upstreams.timeout(step.upstream());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    // A pass-through step takes whatever the upstream answers; every other step reads JSON.
    headers.set(
        "accept", step.bodyUse().responseType().equals("json") ? "application/json" : "*/*");
    headers.set(TelemetryNames.H_REQUEST_ID, requestId);
    if (!propagated.isEmpty()) {
      propagated.forEach(headers::set);
    }
    c.headers().forEach(e -> headers.add(e.getKey(), e.getValue()));
    Buffer body = null;
    if (c.body() != null) {
      headers.set("content-type", "application/json");
      body = Buffer.buffer(c.body());
    }
    StepRecord record = records[step.index()];
    record.called();
    UpstreamRequest req =
        new UpstreamRequest(
            step.name(), c.method(), c.pathAndQuery(), headers, body, base, deadlineNanos);
    return upstreams
        .call(step.upstream())
        .call(req)
        .andThen(ar -> record.noted(req.notes()))
        .map(resp -> new StepCache.Fetched(parse(step, resp), resp));
  }

  private static JsonNode parse(StepPlan step, UpstreamResponse resp) {
    int status = resp.status();
    // A pass-through step hands 4xx to the client as answers (AnswerReader); elsewhere non-2xx
    // fails.
    if ((status < 200 || status > 299) && !step.bodyUse().responseType().equals(BodyUse.RAW)) {
      throw UpstreamException.status(step.upstream(), resp);
    }
    return AnswerReader.read(step, resp);
  }

  private static JsonNode toArray(JsonNode[] parts) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode(parts.length);
    for (JsonNode p : parts) {
      a.add(orNull(p));
    }
    return a;
  }

  private static JsonNode orNull(JsonNode n) {
    return n == null ? NullNode.getInstance() : n;
  }
}
