package dev.medley.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * A YAML node that knows its line, for tool files (composition tests) whose mistakes and failures
 * are reported as {@code file:line}. Values convert to JSON with YAML's scalar types.
 */
final class YamlTree {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final Node node;
  private final String file;

  private YamlTree(Node node, String file) {
    this.node = node;
    this.file = file;
  }

  /** A problem in a tool file, located. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  static YamlTree parse(String text, String file) throws Invalid {
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(file).build();
      Composer composer =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      return new YamlTree(
          composer.getSingleNode().orElseThrow(() -> new Invalid(file + ":1: the file is empty")),
          file);
    } catch (YamlEngineException e) {
      throw new Invalid(file + ": not valid YAML: " + e.getMessage());
    }
  }

  /** {@code file:line} of this node. */
  String at() {
    return file + ":" + line();
  }

  int line() {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  Invalid invalid(String message) {
    return new Invalid(at() + ": " + message);
  }

  boolean isMap() {
    return node instanceof MappingNode;
  }

  boolean isList() {
    return node instanceof SequenceNode;
  }

  /** The entries of a mapping, in written order; an error if this is not a mapping. */
  Map<String, YamlTree> entries() throws Invalid {
    if (!(node instanceof MappingNode m)) {
      throw invalid("expected a mapping");
    }
    Map<String, YamlTree> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new YamlTree(t.getKeyNode(), file).invalid("keys must be plain strings");
      }
      out.put(k.getValue(), new YamlTree(t.getValueNode(), file));
    }
    return out;
  }

  /** The entries of a mapping, refusing keys other than {@code known}. */
  Map<String, YamlTree> fields(String what, String... known) throws Invalid {
    Map<String, YamlTree> e = entries();
    for (String k : e.keySet()) {
      if (!List.of(known).contains(k)) {
        throw e.get(k)
            .invalid(
                "unknown key '"
                    + k
                    + "' in "
                    + what
                    + " (expected one of: "
                    + String.join(", ", known)
                    + ")");
      }
    }
    return e;
  }

  List<YamlTree> items() throws Invalid {
    if (!(node instanceof SequenceNode s)) {
      throw invalid("expected a list");
    }
    List<YamlTree> out = new ArrayList<>();
    s.getValue().forEach(n -> out.add(new YamlTree(n, file)));
    return out;
  }

  /** A scalar's text; an error for a mapping or list. */
  String text() throws Invalid {
    if (!(node instanceof ScalarNode s)) {
      throw invalid("expected a value, found a " + (isMap() ? "mapping" : "list"));
    }
    return s.getValue();
  }

  /** The value as JSON: mappings, lists and typed plain scalars (numbers, booleans, null). */
  JsonNode json() {
    return switch (node) {
      case MappingNode m -> {
        ObjectNode o = JSON.objectNode();
        m.getValue()
            .forEach(
                t ->
                    o.set(
                        ((ScalarNode) t.getKeyNode()).getValue(),
                        new YamlTree(t.getValueNode(), file).json()));
        yield o;
      }
      case SequenceNode s -> {
        ArrayNode a = JSON.arrayNode();
        s.getValue().forEach(n -> a.add(new YamlTree(n, file).json()));
        yield a;
      }
      case ScalarNode s -> scalar(s);
      default -> JSON.nullNode();
    };
  }

  private static JsonNode scalar(ScalarNode s) {
    String v = s.getValue();
    if (s.getScalarStyle() != ScalarStyle.PLAIN) {
      return JSON.textNode(v);
    }
    Tag tag = s.getTag();
    try {
      if (tag.equals(Tag.NULL)) {
        return JSON.nullNode();
      }
      if (tag.equals(Tag.BOOL)) {
        return JSON.booleanNode(Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT)));
      }
      if (tag.equals(Tag.INT)) {
        return JSON.numberNode(new BigInteger(v.replace("_", "")));
      }
      if (tag.equals(Tag.FLOAT)) {
        return JSON.numberNode(new BigDecimal(v));
      }
    } catch (NumberFormatException e) {
      return JSON.textNode(v);
    }
    return JSON.textNode(v);
  }
}
