package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.Src;
import dev.medley.config.ValueSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compiled shaping forms ({@link ShapeForm}): {@code $from}, {@code $each}, {@code $merge},
 * {@code $flatten}. Like any response field, a form whose value has the wrong type for this request
 * (a list where an object belongs, a string where a list belongs) becomes null and is named in the
 * answer's partial marks; a null value stays null and is no failure.
 */
final class FormShape {
  /** Most {@code $each} nested in one another: each level is one slot of {@link Scope#local}. */
  static final int MAX_DEPTH = 8;

  private FormShape() {}

  static Shape compile(ShapeForm form, Binder binder, String field) {
    String where = form.at() + " (" + binder.keyPath() + ")";
    String name = field.isEmpty() ? "response" : field;
    return switch (form.kind()) {
      case FROM -> {
        Shape base = sub(form.source(), binder, "$from", field);
        Added added = added(form.fields(), binder, field + ".");
        yield base == null || added == null
            ? null
            : new From(base, edit(form), added.names, added.shapes, name, where);
      }
      case MERGE -> {
        List<Shape> parts = new ArrayList<>();
        for (int i = 0; i < form.merge().size(); i++) {
          parts.add(sub(form.merge().get(i), binder, "$merge[" + i + "]", field));
        }
        Added added = added(form.fields(), binder, field + ".");
        yield parts.contains(null) || added == null
            ? null
            : new Merge(
                parts.toArray(Shape[]::new), edit(form), added.names, added.shapes, name, where);
      }
      case FLATTEN -> {
        Shape base = sub(form.source(), binder, "$flatten", field);
        yield base == null ? null : new Flatten(base, name, where);
      }
      case EACH -> {
        Shape list = sub(form.source(), binder, "$each", field);
        Binder inner = element(form, binder);
        if (list == null || inner == null) {
          yield null;
        }
        int slot = inner.locals().get(form.as());
        String each = field + "[*]";
        if (form.shape() != null) {
          Shape element =
              ShapeCompiler.compile(
                  form.shape(),
                  inner.at(binder.keyPath() + ".$shape", binder.itemName(), false, false),
                  each);
          yield element == null
              ? null
              : new Each(list, slot, element, null, null, null, name, where);
        }
        Added added = added(form.fields(), inner, each + ".");
        yield added == null
            ? null
            : new Each(list, slot, null, edit(form), added.names, added.shapes, name, where);
      }
    };
  }

  private static Shape sub(ValueSpec v, Binder binder, String key, String field) {
    return ShapeCompiler.compile(
        v, binder.at(binder.keyPath() + "." + key, binder.itemName(), false, false), field);
  }

  private static JsonEdit edit(ShapeForm form) {
    JsonEdit e = new JsonEdit(form.pick(), form.except(), form.rename());
    return e.isEmpty() ? null : e;
  }

  /** The binder of a {@code $each} element, or null when its name is taken (reported). */
  private static Binder element(ShapeForm form, Binder binder) {
    String as = form.as();
    Src at = form.asAt();
    Binder b = binder.at(binder.keyPath() + ".$as", binder.itemName(), false, false);
    if (binder.locals().containsKey(as)) {
      b.error(
          at,
          "'"
              + as
              + "' already names the element of an enclosing $each; name this one otherwise with"
              + " $as");
      return null;
    }
    if (binder.steps().containsKey(as) || binder.rootNames().contains(as)) {
      b.error(
          at,
          "'"
              + as
              + "' is a step or variable of this route, which the element would hide; name the"
              + " element otherwise with $as");
      return null;
    }
    if (binder.locals().size() >= MAX_DEPTH) {
      b.error(at, "$each is nested more than " + MAX_DEPTH + " deep");
      return null;
    }
    return binder.withLocal(as);
  }

  private record Added(String[] names, Shape[] shapes) {}

  private static Added added(Map<String, ValueSpec> fields, Binder binder, String prefix) {
    List<String> names = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    fields.forEach(
        (k, v) -> {
          names.add(k);
          shapes.add(
              ShapeCompiler.compile(
                  v,
                  binder.at(binder.keyPath() + "." + k, binder.itemName(), false, false),
                  prefix.equals(".") ? k : prefix + k));
        });
    return shapes.contains(null)
        ? null
        : new Added(names.toArray(String[]::new), shapes.toArray(Shape[]::new));
  }

  /** Records a failure of this form's field for this request: the field is null. */
  private static JsonNode failed(Scope s, String field, String where, String detail) {
    s.fieldFailed(field, new Expr.ExprException(where, detail));
    return NullNode.getInstance();
  }

  private static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Edits an object and sets the added fields (rendered in the current scope) on the result. */
  private static JsonNode finish(
      JsonNode v, JsonNode original, JsonEdit edit, String[] names, Shape[] shapes, Scope s) {
    JsonNode out = edit == null ? v : edit.apply(v);
    if (names.length == 0) {
      // An edit that changed nothing still answers a copy: the answer may be marked partial later,
      // and the step's result must not be.
      return edit != null && out == original ? JsonEdit.copy((ObjectNode) out) : out;
    }
    ObjectNode o = out == original ? JsonEdit.copy((ObjectNode) out) : (ObjectNode) out;
    for (int i = 0; i < names.length; i++) {
      o.set(names[i], shapes[i].render(s));
    }
    return o;
  }

  /** {@code $from}: an object, edited; null stays null. */
  record From(Shape base, JsonEdit edit, String[] names, Shape[] shapes, String field, String where)
      implements Shape {
    @Override
    public JsonNode render(Scope s) {
      JsonNode v = base.render(s);
      if (v == null || v.isNull()) {
        return NullNode.getInstance();
      }
      if (!v.isObject()) {
        return failed(
            s,
            field,
            where,
            "$from gives " + kind(v) + ", not an object" + (v.isArray() ? " (use $each)" : ""));
      }
      return finish(v, v, edit, names, shapes, s);
    }
  }

  /** {@code $merge}: objects merged in order, a later field winning; null parts are skipped. */
  record Merge(
      Shape[] parts, JsonEdit edit, String[] names, Shape[] shapes, String field, String where)
      implements Shape {
    @Override
    public JsonNode render(Scope s) {
      ObjectNode merged = JsonNodeFactory.instance.objectNode();
      boolean any = false;
      for (int i = 0; i < parts.length; i++) {
        JsonNode v = parts[i].render(s);
        if (v == null || v.isNull()) {
          continue;
        }
        if (!v.isObject()) {
          return failed(s, field, where, "$merge[" + i + "] gives " + kind(v) + ", not an object");
        }
        merged.setAll((ObjectNode) v);
        any = true;
      }
      if (!any && names.length == 0) {
        return NullNode.getInstance();
      }
      return finish(merged, null, edit, names, shapes, s);
    }
  }

  /** {@code $flatten}: list elements that are lists are spliced in, one level. */
  record Flatten(Shape base, String field, String where) implements Shape {
    @Override
    public JsonNode render(Scope s) {
      JsonNode v = base.render(s);
      if (v == null || v.isNull()) {
        return NullNode.getInstance();
      }
      if (!v.isArray()) {
        return failed(s, field, where, "$flatten gives " + kind(v) + ", not a list");
      }
      ArrayNode out = JsonNodeFactory.instance.arrayNode(v.size());
      for (JsonNode item : v) {
        if (item.isArray()) {
          out.addAll((ArrayNode) item);
        } else {
          out.add(item);
        }
      }
      return out;
    }
  }

  /**
   * {@code $each}: every element of a list shaped by {@code element}, or edited (then its added
   * fields set), with the element bound to local {@code slot}; a null element stays null.
   */
  record Each(
      Shape list,
      int slot,
      Shape element,
      JsonEdit edit,
      String[] names,
      Shape[] shapes,
      String field,
      String where)
      implements Shape {
    @Override
    public JsonNode render(Scope s) {
      JsonNode v = list.render(s);
      if (v == null || v.isNull()) {
        return NullNode.getInstance();
      }
      if (!v.isArray()) {
        return failed(s, field, where, "$each gives " + kind(v) + ", not a list");
      }
      ArrayNode out = JsonNodeFactory.instance.arrayNode(v.size());
      try {
        for (int i = 0; i < v.size(); i++) {
          JsonNode item = v.get(i);
          s.setLocal(slot, item);
          if (element != null) {
            out.add(element.render(s));
          } else if (item.isNull()) {
            out.add(item);
          } else if (!item.isObject()) {
            return failed(
                s, field, where, "element " + i + " of $each is " + kind(item) + ", not an object");
          } else {
            out.add(finish(item, item, edit, names, shapes, s));
          }
        }
      } finally {
        s.setLocal(slot, null);
      }
      return out;
    }
  }
}
