package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.ValueSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON request body with templates in its strings; rendered to a JSON tree per call and then
 * serialized, so values can never break out of their strings.
 */
sealed interface ValueTemplate {
  JsonNode render(Scope s);

  static ValueTemplate compile(ValueSpec spec, Binder binder) {
    return switch (spec) {
      case ValueSpec.Literal l -> new Lit(l.value());
      case ValueSpec.Str str -> {
        TextTemplate t = TextTemplate.compile(str.text(), binder);
        yield t == null ? null : new Txt(t);
      }
      case ValueSpec.Obj o -> {
        Map<String, ValueTemplate> fields = new LinkedHashMap<>();
        o.fields().forEach((k, v) -> fields.put(k, compile(v, binder)));
        yield fields.containsValue(null) ? null : new Obj(fields);
      }
      case ValueSpec.Arr a -> {
        List<ValueTemplate> items = new ArrayList<>();
        a.items().forEach(v -> items.add(compile(v, binder)));
        yield items.contains(null) ? null : new Arr(items);
      }
    };
  }

  record Lit(JsonNode value) implements ValueTemplate {
    @Override
    public JsonNode render(Scope s) {
      return value;
    }
  }

  record Txt(TextTemplate t) implements ValueTemplate {
    @Override
    public JsonNode render(Scope s) {
      JsonNode v = t.value(s);
      return v == null ? NullNode.getInstance() : v;
    }
  }

  record Obj(Map<String, ValueTemplate> fields) implements ValueTemplate {
    @Override
    public JsonNode render(Scope s) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      fields.forEach((k, v) -> o.set(k, v.render(s)));
      return o;
    }
  }

  record Arr(List<ValueTemplate> items) implements ValueTemplate {
    @Override
    public JsonNode render(Scope s) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      items.forEach(v -> a.add(v.render(s)));
      return a;
    }
  }
}
