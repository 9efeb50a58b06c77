package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structural edits of a shaping form, compiled from its paths into trees once at load: keep
 * only ({@code $pick}), remove ({@code $except}), rename ({@code $rename}). A list met on a path is
 * gone through element by element. Edits never change their input (step results are shared by the
 * whole request): objects on an edited path are copied, everything else is shared.
 */
final class JsonEdit {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A path tree: the names below this point, and whether a path ends here. */
  static final class Tree {
    final Map<String, Tree> children = new LinkedHashMap<>();
    boolean end;

    static Tree of(List<ShapeForm.Path> paths) {
      Tree root = new Tree();
      for (ShapeForm.Path p : paths) {
        Tree t = root;
        for (String name : p.names()) {
          t = t.children.computeIfAbsent(name, n -> new Tree());
        }
        t.end = true;
      }
      return root;
    }
  }

  /** One rename: the object at {@code parent} gets {@code from}'s value under {@code to}. */
  record Rename(String[] parent, String from, String to) {}

  private final Tree pick;
  private final Tree except;
  private final Rename[] renames;

  JsonEdit(List<ShapeForm.Path> pick, List<ShapeForm.Path> except, List<ShapeForm.Rename> renames) {
    this.pick = pick == null ? null : Tree.of(pick);
    this.except = except.isEmpty() ? null : Tree.of(except);
    List<Rename> rs = new ArrayList<>();
    for (ShapeForm.Rename r : renames) {
      rs.add(new Rename(r.from().parent().toArray(String[]::new), r.from().last(), r.to()));
    }
    this.renames = rs.toArray(Rename[]::new);
  }

  /** True when the edit changes nothing (only added fields). */
  boolean isEmpty() {
    return pick == null && except == null && renames.length == 0;
  }

  /** The edited value; {@code v} itself when nothing applied. */
  JsonNode apply(JsonNode v) {
    JsonNode out = pick == null ? v : pick(v, pick);
    if (except != null) {
      out = except(out, except);
    }
    for (Rename r : renames) {
      out = rename(out, r, 0);
    }
    return out;
  }

  /** Only the listed paths; a value that is not an object where a path goes on is kept as is. */
  static JsonNode pick(JsonNode v, Tree t) {
    if (v.isObject()) {
      ObjectNode out = F.objectNode();
      for (Map.Entry<String, Tree> e : t.children.entrySet()) {
        JsonNode c = v.get(e.getKey());
        if (c != null) {
          out.set(e.getKey(), e.getValue().end ? c : pick(c, e.getValue()));
        }
      }
      return out;
    }
    if (v.isArray()) {
      ArrayNode out = F.arrayNode(v.size());
      for (JsonNode item : v) {
        out.add(pick(item, t));
      }
      return out;
    }
    return v;
  }

  /** Without the listed paths; an absent path changes nothing. */
  static JsonNode except(JsonNode v, Tree t) {
    if (v.isObject()) {
      ObjectNode out = null;
      for (Map.Entry<String, Tree> e : t.children.entrySet()) {
        JsonNode c = v.get(e.getKey());
        if (c == null) {
          continue;
        }
        if (e.getValue().end) {
          out = out == null ? copy((ObjectNode) v) : out;
          out.remove(e.getKey());
        } else {
          JsonNode edited = except(c, e.getValue());
          if (edited != c) {
            out = out == null ? copy((ObjectNode) v) : out;
            out.set(e.getKey(), edited);
          }
        }
      }
      return out == null ? v : out;
    }
    if (v.isArray()) {
      ArrayNode out = null;
      for (int i = 0; i < v.size(); i++) {
        JsonNode c = v.get(i);
        JsonNode edited = except(c, t);
        if (edited != c && out == null) {
          out = F.arrayNode(v.size());
          for (int j = 0; j < i; j++) {
            out.add(v.get(j));
          }
        }
        if (out != null) {
          out.add(edited);
        }
      }
      return out == null ? v : out;
    }
    return v;
  }

  /** {@code from} renamed in place (same position); an existing {@code to} is overwritten. */
  static JsonNode rename(JsonNode v, Rename r, int depth) {
    if (v.isArray()) {
      ArrayNode out = F.arrayNode(v.size());
      boolean changed = false;
      for (JsonNode item : v) {
        JsonNode edited = rename(item, r, depth);
        changed |= edited != item;
        out.add(edited);
      }
      return changed ? out : v;
    }
    if (!v.isObject()) {
      return v;
    }
    if (depth < r.parent().length) {
      JsonNode c = v.get(r.parent()[depth]);
      if (c == null) {
        return v;
      }
      JsonNode edited = rename(c, r, depth + 1);
      if (edited == c) {
        return v;
      }
      ObjectNode out = copy((ObjectNode) v);
      out.set(r.parent()[depth], edited);
      return out;
    }
    JsonNode value = v.get(r.from());
    if (value == null) {
      return v;
    }
    ObjectNode out = F.objectNode();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (e.getKey().equals(r.from())) {
        out.set(r.to(), value);
      } else if (!e.getKey().equals(r.to())) {
        out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** A new object with the same fields (the values are shared). */
  static ObjectNode copy(ObjectNode o) {
    ObjectNode out = F.objectNode();
    out.setAll(o);
    return out;
  }
}
