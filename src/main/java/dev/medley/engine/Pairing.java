package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A forEach step's {@code merge}: each result put back into its own item, by position, so two equal
 * items each get theirs. The items are copied, never changed: another step may read the same list.
 */
final class Pairing {
  private Pairing() {}

  /**
   * The items with their results merged in: {@code how} empty merges a result's fields over the
   * item's (a null result leaves the item as it is), a name puts the result under that key.
   */
  static ArrayNode merge(String how, JsonNode items, JsonNode results) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      JsonNode r = results.get(i);
      if (!item.isObject()) {
        throw new StepException(
            "EXPRESSION",
            "merge needs objects as forEach items, item " + i + " is " + kind(item),
            false,
            false);
      }
      ObjectNode m = JsonNodeFactory.instance.objectNode();
      m.setAll((ObjectNode) item);
      if (!how.isEmpty()) {
        m.set(how, r);
      } else if (r != null && r.isObject()) {
        m.setAll((ObjectNode) r);
      } else if (r != null && !r.isNull()) {
        throw new StepException(
            "EXPRESSION",
            "merge: true needs object results, result "
                + i
                + " is "
                + kind(r)
                + " (merge: NAME puts any result under NAME)",
            false,
            false);
      }
      out.add(m);
    }
    return out;
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
