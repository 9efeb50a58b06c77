package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.ValueSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled response shape: objects and lists as written, strings as expressions, other scalars as
 * literals. A field whose expression fails for this request becomes null rather than failing the
 * page, and is named in the answer's partial marks (see {@link Scope#failures()}).
 */
public sealed interface Shape {
  JsonNode render(Scope s);

  static Shape compile(ValueSpec spec, Binder binder) {
    return compile(spec, binder, "");
  }

  /** {@code field} is the value's path inside the response ("" for the whole response). */
  private static Shape compile(ValueSpec spec, Binder binder, String field) {
    return switch (spec) {
      case ValueSpec.Literal l -> new Lit(l.value());
      case ValueSpec.Str str -> {
        Expr e = ExprCompiler.compile(str.text(), binder, ExprCompiler.Use.RESPONSE);
        yield e == null ? null : new Eval(e, field.isEmpty() ? "response" : field);
      }
      case ValueSpec.Obj o -> {
        List<String> names = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        o.fields()
            .forEach(
                (k, v) -> {
                  names.add(k);
                  shapes.add(
                      compile(
                          v,
                          binder.at(binder.keyPath() + "." + k, binder.itemName(), false, false),
                          field.isEmpty() ? k : field + "." + k));
                });
        yield shapes.contains(null)
            ? null
            : new Obj(names.toArray(String[]::new), shapes.toArray(Shape[]::new));
      }
      case ValueSpec.Arr a -> {
        List<Shape> items = new ArrayList<>();
        for (int i = 0; i < a.items().size(); i++) {
          items.add(compile(a.items().get(i), binder, field + "[" + i + "]"));
        }
        yield items.contains(null) ? null : new Arr(items.toArray(Shape[]::new));
      }
    };
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
