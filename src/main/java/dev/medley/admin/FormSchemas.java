package dev.medley.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.plan.ShapeForm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The answer's schema of a shaping form ({@link ShapeForm}): the same edits as the form makes to a
 * value ({@code $pick}, {@code $except}, {@code $rename}, added fields, {@code $each}, {@code
 * $merge}, {@code $flatten}) made to its source's schema. A schema that says nothing (an expression
 * of unknown type) stays as open as it was, apart from the fields the form adds.
 */
final class FormSchemas {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private FormSchemas() {}

  /**
   * The form's schema; {@code sub} gives the schema of a value written inside it, given the names
   * an enclosing {@code $each} bound (name to its element's schema).
   */
  static ObjectNode of(
      ShapeForm form,
      Map<String, ObjectNode> locals,
      java.util.function.BiFunction<
              dev.medley.config.ValueSpec, Map<String, ObjectNode>, ObjectNode>
          sub) {
    Function<dev.medley.config.ValueSpec, ObjectNode> here = v -> sub.apply(v, locals);
    return switch (form.kind()) {
      case FROM -> edited(here.apply(form.source()), form, here);
      case MERGE -> {
        ObjectNode merged = JSON.objectNode().put("type", "object");
        ObjectNode props = merged.putObject("properties");
        for (dev.medley.config.ValueSpec part : form.merge()) {
          JsonNode p = here.apply(part).get("properties");
          if (p instanceof ObjectNode o) {
            props.setAll(o);
          }
        }
        yield edited(merged, form, here);
      }
      case FLATTEN -> {
        ObjectNode list = here.apply(form.source());
        ObjectNode out = JSON.objectNode().put("type", "array");
        JsonNode items = list.get("items");
        if (items != null && items.has("items")) {
          out.set("items", items.get("items"));
        } else if (items != null && !"array".equals(items.path("type").asText())) {
          out.set("items", items);
        }
        yield out;
      }
      case EACH -> {
        ObjectNode list = here.apply(form.source());
        ObjectNode element =
            list.get("items") instanceof ObjectNode i ? i.deepCopy() : JSON.objectNode();
        Map<String, ObjectNode> inner = new LinkedHashMap<>(locals);
        inner.put(form.as(), element);
        Function<dev.medley.config.ValueSpec, ObjectNode> in = v -> sub.apply(v, inner);
        ObjectNode out = JSON.objectNode().put("type", "array");
        out.set("items", form.shape() != null ? in.apply(form.shape()) : edited(element, form, in));
        yield out;
      }
    };
  }

  /** {@code $pick}, {@code $except}, {@code $rename}, then added fields. */
  private static ObjectNode edited(
      ObjectNode base, ShapeForm form, Function<dev.medley.config.ValueSpec, ObjectNode> sub) {
    ObjectNode s = base.deepCopy();
    if (form.pick() != null) {
      List<List<String>> paths = new ArrayList<>();
      form.pick().forEach(p -> paths.add(p.names()));
      s = pick(s, paths);
    }
    for (ShapeForm.Path p : form.except()) {
      except(s, p.names());
    }
    for (ShapeForm.Rename r : form.rename()) {
      rename(s, r.from().names(), r.to());
    }
    if (!form.fields().isEmpty()) {
      if (!s.has("type")) {
        s.put("type", "object");
      }
      ObjectNode props =
          s.get("properties") instanceof ObjectNode o ? o : s.putObject("properties");
      form.fields().forEach((k, v) -> props.set(k, sub.apply(v)));
    }
    return s;
  }

  /** The object (or, for a list, each element's object) whose properties a path goes through. */
  private static ObjectNode properties(ObjectNode s) {
    ObjectNode o = s;
    while ("array".equals(o.path("type").asText()) && o.get("items") instanceof ObjectNode i) {
      o = i;
    }
    return o.get("properties") instanceof ObjectNode p ? p : null;
  }

  private static ObjectNode pick(ObjectNode s, List<List<String>> paths) {
    ObjectNode props = properties(s);
    if (props == null) {
      return s;
    }
    Map<String, List<List<String>>> byName = new LinkedHashMap<>();
    for (List<String> p : paths) {
      byName.computeIfAbsent(p.get(0), k -> new ArrayList<>()).add(p.subList(1, p.size()));
    }
    ObjectNode kept = JSON.objectNode();
    byName.forEach(
        (name, rest) -> {
          if (props.get(name) instanceof ObjectNode child) {
            boolean whole = rest.stream().anyMatch(List::isEmpty);
            kept.set(name, whole ? child : pick(child, rest));
          }
        });
    props.removeAll();
    props.setAll(kept);
    return s;
  }

  private static void except(ObjectNode s, List<String> path) {
    ObjectNode props = properties(s);
    if (props == null) {
      return;
    }
    if (path.size() == 1) {
      props.remove(path.get(0));
    } else if (props.get(path.get(0)) instanceof ObjectNode child) {
      except(child, path.subList(1, path.size()));
    }
  }

  private static void rename(ObjectNode s, List<String> path, String to) {
    ObjectNode props = properties(s);
    if (props == null) {
      return;
    }
    if (path.size() > 1) {
      if (props.get(path.get(0)) instanceof ObjectNode child) {
        rename(child, path.subList(1, path.size()), to);
      }
      return;
    }
    JsonNode value = props.get(path.get(0));
    if (value == null) {
      return;
    }
    ObjectNode out = JSON.objectNode();
    props
        .properties()
        .forEach(
            e -> {
              if (e.getKey().equals(path.get(0))) {
                out.set(to, value);
              } else if (!e.getKey().equals(to)) {
                out.set(e.getKey(), e.getValue());
              }
            });
    props.removeAll();
    props.setAll(out);
  }
}
