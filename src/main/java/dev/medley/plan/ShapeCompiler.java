package dev.medley.plan;

import dev.medley.config.ValueSpec;
import java.util.ArrayList;
import java.util.List;

/** Compiles a response shape ({@link Shape}) at load, shaping forms included. */
final class ShapeCompiler {
  private ShapeCompiler() {}

  /**
   * {@code field} is the value's path inside the response ("" for the whole response), used to name
   * a field that fails while answering. Returns null after reporting a problem.
   */
  static Shape compile(ValueSpec spec, Binder binder, String field) {
    return switch (spec) {
      case ValueSpec.Literal l -> new Shape.Lit(l.value());
      case ValueSpec.Str str -> {
        Expr e = ExprCompiler.compile(str.text(), binder, ExprCompiler.Use.RESPONSE);
        yield e == null ? null : new Shape.Eval(e, field.isEmpty() ? "response" : field);
      }
      case ValueSpec.Obj o ->
          ShapeForm.isForm(o) ? form(o, binder, field) : object(o, binder, field);
      case ValueSpec.Arr a -> {
        List<Shape> items = new ArrayList<>();
        for (int i = 0; i < a.items().size(); i++) {
          items.add(compile(a.items().get(i), binder, field + "[" + i + "]"));
        }
        yield items.contains(null) ? null : new Shape.Arr(items.toArray(Shape[]::new));
      }
    };
  }

  private static Shape form(ValueSpec.Obj o, Binder binder, String field) {
    ShapeForm form =
        ShapeForm.parse(
            o,
            (at, key, message) ->
                binder
                    .at(
                        key.isEmpty() ? binder.keyPath() : binder.keyPath() + "." + key,
                        binder.itemName(),
                        false,
                        false)
                    .error(at, message));
    return form == null ? null : FormShape.compile(form, binder, field);
  }

  private static Shape object(ValueSpec.Obj o, Binder binder, String field) {
    List<String> names = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    o.fields()
        .forEach(
            (key, v) -> {
              String k = ShapeForm.fieldName(key);
              names.add(k);
              shapes.add(
                  compile(
                      v,
                      binder.at(binder.keyPath() + "." + k, binder.itemName(), false, false),
                      field.isEmpty() ? k : field + "." + k));
            });
    return shapes.contains(null)
        ? null
        : new Shape.Obj(names.toArray(String[]::new), shapes.toArray(Shape[]::new));
  }
}
