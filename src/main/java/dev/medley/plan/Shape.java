package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.ValueSpec;

/**
 * A compiled response shape: objects and lists as written, strings as expressions, other scalars as
 * literals. A field whose expression fails for this request becomes null rather than failing the
 * page, and is named in the answer's partial marks (see {@link Scope#failures()}). Mappings whose
 * keys start with {@code $} are shaping forms ({@link FormShape}).
 */
public sealed interface Shape
    permits Shape.Lit,
        Shape.Eval,
        Shape.Obj,
        Shape.Arr,
        FormShape.From,
        FormShape.Each,
        FormShape.Merge,
        FormShape.Flatten {
  JsonNode render(Scope s);

  static Shape compile(ValueSpec spec, Binder binder) {
    return ShapeCompiler.compile(spec, binder, "");
  }

  /** A fixed value. */
  record Lit(JsonNode value) implements Shape {
    @Override
    public JsonNode render(Scope s) {
      return value;
    }
  }

  /**
   * An expression's value. When it cannot be evaluated for this request the field is null and the
   * failure is recorded on the scope, so the answer is marked partial and names the field.
   */
  record Eval(Expr expr, String field) implements Shape {
    @Override
    public JsonNode render(Scope s) {
      try {
        JsonNode v = expr.eval(s);
        return v == null ? NullNode.getInstance() : v;
      } catch (Expr.ExprException e) {
        s.fieldFailed(field, e);
        return NullNode.getInstance();
      }
    }
  }

  /** An object with fields in written order. */
  record Obj(String[] names, Shape[] shapes) implements Shape {
    @Override
    public JsonNode render(Scope s) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      for (int i = 0; i < names.length; i++) {
        o.set(names[i], shapes[i].render(s));
      }
      return o;
    }
  }

  /** A list. */
  record Arr(Shape[] items) implements Shape {
    @Override
    public JsonNode render(Scope s) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode(items.length);
      for (Shape item : items) {
        a.add(item.render(s));
      }
      return a;
    }
  }
}
