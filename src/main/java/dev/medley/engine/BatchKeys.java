package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.medley.plan.BatchPlan;
import dev.medley.plan.Scope;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The keys of a batch step's items and the matching of a batch answer back to them. Keys are
 * compared as text ({@link #text}), so {@code "1"} from one service matches {@code 1} from another;
 * items with the same key are sent once and each gets the result; an item whose key is null is not
 * sent and gets the step's {@code missing} value.
 *
 * @param unique the distinct keys, in first-seen order: what is sent
 * @param slot for each item, the index of its key in {@code unique}; -1 for a null key
 */
record BatchKeys(ArrayNode unique, int[] slot) {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The keys of {@code items}: each item itself, or the batch's {@code key} over it. */
  static BatchKeys of(BatchPlan b, ArrayNode items, Scope scope) {
    ArrayNode unique = F.arrayNode(items.size());
    int[] slot = new int[items.size()];
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      JsonNode key = b.key() == null ? item : b.key().eval(scope.withItem(item, i));
      String text = text(key);
      if (text == null) {
        slot[i] = -1;
        continue;
      }
      Integer at = seen.putIfAbsent(text, unique.size());
      if (at == null) {
        slot[i] = unique.size();
        unique.add(key);
      } else {
        slot[i] = at;
      }
    }
    return new BatchKeys(unique, slot);
  }

  /**
   * A key as compared: strings as they are, numbers in plain decimal without trailing zeros ({@code
   * 1}, {@code 1.0} and {@code "1"} are one key), booleans as text, objects and lists as JSON; null
   * for a null or absent key.
   */
  static String text(JsonNode key) {
    if (key == null || key.isNull() || key.isMissingNode()) {
      return null;
    }
    if (key.isTextual()) {
      return key.textValue();
    }
    if (key.isIntegralNumber() && key.canConvertToLong()) {
      return Long.toString(key.longValue());
    }
    if (key.isNumber()) {
      BigDecimal d = key.decimalValue().stripTrailingZeros();
      return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }
    return key.isValueNode() ? key.asText() : key.toString();
  }

  /**
   * The results for one chunk of keys, aligned with it (JSON null where the answer has none). The
   * result list is read at {@code resultsAt}; a result belongs to the key its {@code matchOn} field
   * equals, or to the key at its position; results given as an object are looked up by key.
   */
  static ArrayNode split(BatchPlan b, ArrayNode chunk, JsonNode body) {
    JsonNode results = body;
    for (String seg : b.resultsAt()) {
      results = results == null ? null : results.get(seg);
    }
    if (results == null || !(results.isArray() || results.isObject())) {
      throw new StepException(
          "BAD_BODY",
          "batch answer has no result list"
              + (b.resultsAt().length == 0 ? "" : " at " + String.join(".", b.resultsAt())),
          false,
          false);
    }
    ArrayNode out = F.arrayNode(chunk.size());
    if (b.matchOn() == null) {
      for (int i = 0; i < chunk.size(); i++) {
        out.add(orNull(results.isArray() ? results.get(i) : results.get(text(chunk.get(i)))));
      }
      return out;
    }
    Map<String, JsonNode> byKey = new HashMap<>();
    for (Iterator<JsonNode> it = results.elements(); it.hasNext(); ) {
      JsonNode r = it.next();
      String k = text(at(r, b.matchOn()));
      if (k != null) {
        byKey.putIfAbsent(k, r); // a repeated result: the first one counts
      }
    }
    for (int i = 0; i < chunk.size(); i++) {
      out.add(orNull(byKey.get(text(chunk.get(i)))));
    }
    return out;
  }

  private static JsonNode orNull(JsonNode n) {
    return n == null ? F.nullNode() : n;
  }

  private static JsonNode at(JsonNode r, String[] path) {
    JsonNode n = r;
    for (int i = 0; i < path.length && n != null; i++) {
      n = n.get(path[i]);
    }
    return n;
  }
}
