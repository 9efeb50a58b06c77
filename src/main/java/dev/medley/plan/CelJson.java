package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between Jackson trees and the Java values CEL evaluates over. */
final class CelJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CelJson() {}

  static Object toCel(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    return switch (n.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          m.put(e.getKey(), toCel(e.getValue()));
        }
        yield m;
      }
      case ARRAY -> {
        List<Object> l = new ArrayList<>(n.size());
        n.forEach(x -> l.add(toCel(x)));
        yield l;
      }
      case NUMBER ->
          n.isIntegralNumber() && n.canConvertToLong()
              ? (Object) n.longValue()
              : (Object) n.doubleValue();
      case BOOLEAN -> n.booleanValue();
      default -> n.asText();
    };
  }

  /** The JSON value; Java null when some number in it is not finite (JSON has no infinity). */
  static JsonNode toJson(Object v) {
    if (v == null || v instanceof NullValue) {
      return F.nullNode();
    }
    if (v instanceof JsonNode j) {
      return j;
    }
    if (v instanceof String s) {
      return F.textNode(s);
    }
    if (v instanceof Boolean b) {
      return F.booleanNode(b);
    }
    if (v instanceof Long l) {
      return F.numberNode(l);
    }
    if (v instanceof Integer i) {
      return F.numberNode(i);
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? F.numberNode(d) : null;
    }
    if (v instanceof UnsignedLong u) {
      return F.numberNode(u.bigIntegerValue());
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = F.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        JsonNode x = toJson(e.getValue());
        if (x == null) {
          return null;
        }
        o.set(String.valueOf(e.getKey()), x);
      }
      return o;
    }
    if (v instanceof Iterable<?> it) {
      ArrayNode a = F.arrayNode();
      for (Object item : it) {
        JsonNode x = toJson(item);
        if (x == null) {
          return null;
        }
        a.add(x);
      }
      return a;
    }
    return F.textNode(String.valueOf(v));
  }
}
