package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;

/**
 * A name resolved at load time to where its value lives at run time, e.g. {@code product.images.0}
 * to "step 0, field images, index 0". Resolving walks JSON without parsing anything.
 *
 * @param root which part of the {@link Scope} the name starts in
 * @param key the parameter/query/header name for those roots
 * @param step the step index for {@link Root#STEP}; the slot for {@link Root#LOCAL}
 * @param path field names and list indexes below the root
 * @param type for a parameter or query parameter read by an expression: its declared type ({@code
 *     integer}, {@code number}, {@code boolean}), giving the value as that JSON type; null for text
 *     (templates always read the text the client sent). A repeated query parameter's type ends in
 *     {@code []} ({@code string[]} for templates): it reads as the list of its values
 */
public record Ref(Root root, String key, int step, String[] path, String type) {
  /** Where a reference starts. */
  public enum Root {
    PARAM,
    QUERY,
    HEADER,
    CLAIMS,
    BODY,
    STEP,
    ITEM,
    ITEMS,
    RESULT,
    /** The position of the current forEach item in its list. */
    INDEX,
    /** An element bound by a response shape's {@code $each} ({@link Scope#local}). */
    LOCAL
  }

  /** A reference that reads parameters as text. */
  public Ref(Root root, String key, int step, String[] path) {
    this(root, key, step, path, null);
  }

  /**
   * The same reference reading the parameter as its declared {@code type} (null or string: text).
   */
  Ref typed(String declared) {
    return declared == null || declared.equals("string")
        ? this
        : new Ref(root, key, step, path, declared);
  }

  /**
   * A parameter's text as its declared JSON type. The text was checked against the type before any
   * expression runs (a mismatch is a 400), so parsing cannot fail here.
   */
  static JsonNode typedValue(String text, String type) {
    if (text == null) {
      return null;
    }
    return switch (type == null ? "string" : type) {
      case "integer" -> LongNode.valueOf(Long.parseLong(text));
      case "number" -> DoubleNode.valueOf(Double.parseDouble(text));
      case "boolean" -> BooleanNode.valueOf(Boolean.parseBoolean(text));
      default -> TextNode.valueOf(text);
    };
  }

  /** The value, or Java null when any part of the path is missing. */
  public JsonNode resolve(Scope s) {
    JsonNode node =
        switch (root) {
          case PARAM -> typedValue(s.params.get(key), type);
          case QUERY ->
              type != null && type.endsWith("[]")
                  ? list(s, key, type)
                  : typedValue(s.query.get(key), type);
          case HEADER -> text(s.headers, key);
          case CLAIMS -> s.claims;
          case BODY -> s.body;
          case STEP -> s.steps[step];
          case ITEM -> s.item;
          case ITEMS -> s.items;
          case RESULT -> s.result;
          case INDEX -> s.index < 0 ? null : IntNode.valueOf(s.index);
          case LOCAL -> s.local(step);
        };
    for (int i = 0; i < path.length && node != null; i++) {
      node = child(node, path[i]);
    }
    return node == null || node.isMissingNode() ? null : node;
  }

  /**
   * Why {@link #resolve} gave null, when the reason is a type mismatch rather than absence: a field
   * of a string, number or boolean ("field 'x' of a number"); null when the value is just absent.
   * Only called on the rare null path, so resolving stays one walk.
   */
  public String typeMismatch(Scope s) {
    JsonNode node =
        switch (root) {
          case PARAM, QUERY, HEADER, INDEX -> null;
          case CLAIMS -> s.claims;
          case BODY -> s.body;
          case STEP -> s.steps[step];
          case ITEM -> s.item;
          case ITEMS -> s.items;
          case RESULT -> s.result;
          case LOCAL -> s.local(step);
        };
    for (int i = 0; i < path.length && node != null; i++) {
      if (node.isValueNode() && !node.isNull()) {
        String kind = node.isTextual() ? "a string" : node.isNumber() ? "a number" : "a boolean";
        return "field '" + path[i] + "' of " + kind + " (only objects have fields)";
      }
      node = child(node, path[i]);
    }
    return null;
  }

  /**
   * A repeated query parameter's values as a list of its element type (empty when it was absent).
   */
  static JsonNode list(Scope s, String key, String listType) {
    List<String> values = s.queryLists.get(key);
    ArrayNode out = JsonNodeFactory.instance.arrayNode(values == null ? 0 : values.size());
    if (values != null) {
      String element = listType.substring(0, listType.length() - 2);
      for (String v : values) {
        out.add(typedValue(v, element));
      }
    }
    return out;
  }

  private static JsonNode text(Map<String, String> m, String key) {
    String v = m.get(key);
    return v == null ? null : TextNode.valueOf(v);
  }

  private static JsonNode child(JsonNode node, String seg) {
    if (node.isObject()) {
      return node.get(seg);
    }
    if (node.isArray() && !seg.isEmpty() && seg.length() < 10 && Character.isDigit(seg.charAt(0))) {
      try {
        return node.get(Integer.parseInt(seg));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
