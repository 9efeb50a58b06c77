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
 * A compiled response shape: objects and lists as written, strings as expressions, other scalars
 * as literals. A field whose expression fails for this request becomes null rather than failing
 * the page.
 */
public sealed interface Shape {
  JsonNode render(Scope s);

  static Shape compile(ValueSpec spec, Binder binder) {
    return switch (spec) {
      case ValueSpec.Literal l -> new Lit(l.value());
      case ValueSpec.Str str -> {
        Expr e = ExprCompiler.compile(str.text(), binder);
        yield e == null ? null : new Eval(e);
      }
      case ValueSpec.Obj o -> {
        List<String> names = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        o.fields().forEach((k, v) -> {
          names.add(k);
          shapes.add(compile(v, binder.at(binder.keyPath() + "." + k, binder.itemName(), false, false)));
        });
        yield shapes.contains(null) ? null : new Obj(names.toArray(String[]::new), shapes.toArray(Shape[]::new));
      }
      case ValueSpec.Arr a -> {
        List<Shape> items = new ArrayList<>();
        a.items().forEach(v -> items.add(compile(v, binder)));
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

  /** An expression's value; null when it cannot be evaluated for this request. */
  record Eval(Expr expr) implements Shape {
    @Override
    public JsonNode render(Scope s) {
      try {
        JsonNode v = expr.eval(s);
        return v == null ? NullNode.getInstance() : v;
      } catch (Expr.ExprException e) {
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
