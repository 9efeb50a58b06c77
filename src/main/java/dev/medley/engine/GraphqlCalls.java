package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.medley.plan.GraphqlPlan;
import dev.medley.plan.Scope;
import dev.medley.plan.StepCall;
import dev.medley.plan.StepPlan;
import io.vertx.core.Future;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The GraphQL side of a step: reading {@code data} out of an answer (its {@code errors} fail the
 * step unless the step ignores them), and sending a forEach's items in aliased batches.
 */
final class GraphqlCalls {
  private static final Logger LOG = Logger.getLogger(GraphqlCalls.class.getName());
  private static final int LOGGED_MESSAGE_CHARS = 200;

  private GraphqlCalls() {}

  /**
   * The {@code data} of a GraphQL answer. {@code errors} fail the step (an optional step then falls
   * back), unless the step ignores them and {@code data} is not null. The upstream's error messages
   * go to the log only: they may describe the upstream's internals, so clients see the step and
   * upstream names alone.
   */
  static JsonNode data(StepPlan step, JsonNode answer) {
    if (answer == null || !answer.isObject()) {
      throw new StepException(
          "BAD_BODY",
          "upstream '" + step.upstream() + "' answered something that is not a GraphQL response",
          false,
          false);
    }
    JsonNode errors = answer.get("errors");
    JsonNode data = answer.get("data");
    boolean noData = data == null || data.isNull();
    if (errors != null && errors.isArray() && !errors.isEmpty()) {
      if (!step.graphql().ignoreErrors() || noData) {
        String first = errors.get(0).path("message").asText("");
        LOG.warning(
            () ->
                "step '"
                    + step.name()
                    + "': upstream '"
                    + step.upstream()
                    + "' answered "
                    + errors.size()
                    + " GraphQL error(s), the first: "
                    + first.substring(0, Math.min(first.length(), LOGGED_MESSAGE_CHARS)));
        throw new StepException(
            "GRAPHQL_ERRORS",
            "upstream '" + step.upstream() + "' answered GraphQL errors",
            false,
            false);
      }
    }
    if (noData) {
      throw new StepException(
          "BAD_BODY", "upstream '" + step.upstream() + "' answered no GraphQL data", false, false);
    }
    return data;
  }

  /**
   * Every item's result (through {@code select}), in item order: chunks of {@code batchSize} items,
   * each one aliased query, at most {@code concurrency} chunks in flight.
   */
  static Future<ArrayNode> batched(
      StepPlan step, ArrayNode items, Scope scope, Function<StepCall, Future<JsonNode>> send) {
    GraphqlPlan g = step.graphql();
    int size = g.batchSize();
    int chunks = (items.size() + size - 1) / size;
    return Bounded.run(
            chunks,
            step.concurrency(),
            c -> {
              ArrayNode chunk = JsonNodeFactory.instance.arrayNode();
              for (int i = c * size; i < Math.min(items.size(), (c + 1) * size); i++) {
                chunk.add(items.get(i));
              }
              int first = c * size;
              StepCall call = step.renderWithBody(scope, g.batchBody(chunk, first, scope));
              return send.apply(call)
                  .map(
                      answer -> {
                        JsonNode data = data(step, answer);
                        ArrayNode out = JsonNodeFactory.instance.arrayNode(chunk.size());
                        for (int i = 0; i < chunk.size(); i++) {
                          JsonNode r = g.itemResult(data, i);
                          if (step.select() != null) {
                            // as for a single query: select reads the item's own data
                            r =
                                step.select()
                                    .eval(scope.withItem(chunk.get(i), first + i).withResult(r));
                          }
                          out.add(r == null ? NullNode.getInstance() : r);
                        }
                        return (JsonNode) out;
                      });
            })
        .map(
            parts -> {
              ArrayNode all = JsonNodeFactory.instance.arrayNode(items.size());
              for (JsonNode part : parts) {
                all.addAll((ArrayNode) part);
              }
              return all;
            });
  }
}
