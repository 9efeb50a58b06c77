package dev.medley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node with its key path and location, plus typed accessors that report mistakes to a shared
 * {@link Problems} instead of throwing, so one pass finds every error. Only {@code config} sees
 * YAML.
 */
final class YNode {
  private final Node node;
  private final String path;
  private final String file;
  private final Problems problems;
  private final Env env;

  YNode(Node node, String path, String file, Problems problems, Env env) {
    this.node = node;
    this.path = path;
    this.file = file;
    this.problems = problems;
    this.env = env;
  }

  String path() {
    return path;
  }

  Src at() {
    Optional<Mark> mark = node.getStartMark();
    return mark.map(m -> new Src(fileOf(m), m.getLine() + 1, m.getColumn() + 1)).orElse(Src.NONE);
  }

  /**
   * The file a mark is in: a folder config merges nodes of several files, each labelled with its
   * own.
   */
  private String fileOf(Mark m) {
    String name = m.getName();
    return name == null || name.isEmpty() ? file : name;
  }

  void error(String message) {
    problems.add(at(), path, message);
  }

  Problems problems() {
    return problems;
  }

  boolean isMap() {
    return node instanceof MappingNode;
  }

  boolean isList() {
    return node instanceof SequenceNode;
  }

  boolean isScalar() {
    return node instanceof ScalarNode;
  }

  boolean isNull() {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  /**
   * The scalar text after {@code ${env:NAME}} interpolation; null (and an error) when not a scalar.
   */
  String scalar() {
    if (!(node instanceof ScalarNode s)) {
      error("expected a single value, found a " + kind());
      return null;
    }
    return env.interpolate(s.getValue(), this);
  }

  /** The scalar as written, before {@code ${env:NAME}} interpolation; null when not a scalar. */
  String rawScalar() {
    return node instanceof ScalarNode s ? s.getValue() : null;
  }

  /**
   * True when the scalar was written without quotes and resolved to a YAML number/bool/null tag.
   */
  Tag tag() {
    return node.getTag();
  }

  /** Where a scalar's text begins: one past the opening quote of a quoted scalar. */
  Src textAt() {
    boolean quoted =
        node instanceof ScalarNode s
            && (s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
                || s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED);
    return quoted ? at().plusColumns(1) : at();
  }

  boolean plainScalar() {
    return node instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.PLAIN;
  }

  private String kind() {
    return switch (node) {
      case MappingNode m -> "mapping";
      case SequenceNode s -> "list";
      default -> "value";
    };
  }

  /** The entries of a mapping in written order; reports and skips duplicate keys. */
  Map<String, YNode> entries() {
    Map<String, YNode> out = new LinkedHashMap<>();
    if (!(node instanceof MappingNode m)) {
      error("expected a mapping, found a " + kind());
      return out;
    }
    for (NodeTuple t : m.getValue()) {
      YNode key = new YNode(t.getKeyNode(), path, file, problems, env);
      if (!(t.getKeyNode() instanceof ScalarNode ks)) {
        key.error("keys must be plain strings");
        continue;
      }
      String k = ks.getValue();
      YNode value = new YNode(t.getValueNode(), child(k), file, problems, env);
      if (out.containsKey(k)) {
        new YNode(t.getKeyNode(), child(k), file, problems, env).error("duplicate key '" + k + "'");
        continue;
      }
      out.put(k, value);
    }
    return out;
  }

  /** Location of a key (not its value) within this mapping; for errors about the key itself. */
  Src keyAt(String key) {
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode ks && ks.getValue().equals(key)) {
          return new YNode(t.getKeyNode(), path, file, problems, env).at();
        }
      }
    }
    return at();
  }

  List<YNode> items() {
    List<YNode> out = new ArrayList<>();
    if (!(node instanceof SequenceNode s)) {
      error("expected a list, found a " + kind());
      return out;
    }
    int i = 0;
    for (Node n : s.getValue()) {
      out.add(new YNode(n, path + "[" + i++ + "]", file, problems, env));
    }
    return out;
  }

  String child(String key) {
    if (path.isEmpty()) {
      return key;
    }
    return key.matches("[A-Za-z0-9_-]+") ? path + "." + key : path + "[\"" + key + "\"]";
  }

  /** A view over this mapping that remembers which keys were read, to report the unknown ones. */
  Fields fields(String... known) {
    return new Fields(this, entries(), Arrays.asList(known));
  }

  /** Typed reads over a mapping; keys outside {@code known} are reported when it is created. */
  static final class Fields {
    private final YNode owner;
    private final Map<String, YNode> entries;
    private final Collection<String> known;

    Fields(YNode owner, Map<String, YNode> entries, Collection<String> known) {
      this.owner = owner;
      this.entries = entries;
      this.known = known;
      for (String key : entries.keySet()) {
        if (!known.contains(key)) {
          owner.problems.add(
              owner.keyAt(key),
              owner.child(key),
              "unknown key '"
                  + key
                  + "'"
                  + Suggest.hint(key, known)
                  + " (expected one of: "
                  + String.join(", ", known)
                  + ")");
        }
      }
    }

    YNode node(String key) {
      return entries.get(key);
    }

    boolean has(String key) {
      return entries.containsKey(key);
    }

    /** A required key; reports "missing required key" at the mapping when absent. */
    YNode required(String key) {
      YNode n = entries.get(key);
      if (n == null) {
        owner.error("missing required key '" + key + "'");
      }
      return n;
    }

    String string(String key, String fallback) {
      YNode n = entries.get(key);
      if (n == null) {
        return fallback;
      }
      String s = n.scalar();
      return s == null ? fallback : s;
    }

    Text text(String key) {
      YNode n = entries.get(key);
      if (n == null) {
        return null;
      }
      String s = n.scalar();
      return s == null ? null : new Text(s, n.textAt());
    }

    int integer(String key, int fallback, int min, int max) {
      YNode n = entries.get(key);
      if (n == null) {
        return fallback;
      }
      String s = n.scalar();
      if (s == null) {
        return fallback;
      }
      try {
        int v = Integer.parseInt(s.trim());
        if (v < min || v > max) {
          n.error(s + " (expected a whole number from " + min + " to " + max + ")");
          return fallback;
        }
        return v;
      } catch (NumberFormatException e) {
        n.error(s + " (expected a whole number from " + min + " to " + max + ")");
        return fallback;
      }
    }

    boolean bool(String key, boolean fallback) {
      YNode n = entries.get(key);
      if (n == null) {
        return fallback;
      }
      String s = n.scalar();
      if ("true".equals(s)) {
        return true;
      }
      if ("false".equals(s)) {
        return false;
      }
      if (s != null) {
        n.error(s + " (expected true or false)");
      }
      return fallback;
    }

    Duration duration(String key, Duration fallback) {
      YNode n = entries.get(key);
      if (n == null) {
        return fallback;
      }
      String s = n.scalar();
      if (s == null) {
        return fallback;
      }
      Duration d = Units.duration(s);
      if (d == null) {
        n.error("'" + s + "' is not a duration (expected a number with ms, s, m or h, e.g. 250ms)");
        return fallback;
      }
      return d;
    }

    /** A duration that must be more than zero: a zero timeout would fail every call. */
    Duration positiveDuration(String key, Duration fallback) {
      Duration d = duration(key, fallback);
      if (d != null && d.isZero() && entries.get(key) != null) {
        entries
            .get(key)
            .error(
                "'"
                    + entries.get(key).scalar()
                    + "' would fail every call: "
                    + key
                    + " must be more than 0 (e.g. 250ms); leave it out for the default");
        return fallback;
      }
      return d;
    }

    long bytes(String key, long fallback) {
      YNode n = entries.get(key);
      if (n == null) {
        return fallback;
      }
      String s = n.scalar();
      if (s == null) {
        return fallback;
      }
      long b = Units.bytes(s);
      if (b < 0) {
        n.error(
            "'" + s + "' is not a size (expected a number with B, KiB, MiB or GiB, e.g. 10MiB)");
        return fallback;
      }
      return b;
    }

    /** One of a fixed set of words; reports the valid ones otherwise. */
    String oneOf(String key, String fallback, String... allowed) {
      YNode n = entries.get(key);
      if (n == null) {
        return fallback;
      }
      String s = n.scalar();
      if (s == null) {
        return fallback;
      }
      if (!Arrays.asList(allowed).contains(s)) {
        n.error("'" + s + "' (expected one of: " + String.join(", ", allowed) + ")");
        return fallback;
      }
      return s;
    }

    Map<String, String> stringMap(String key) {
      Map<String, String> out = new LinkedHashMap<>();
      YNode n = entries.get(key);
      if (n != null) {
        n.entries()
            .forEach(
                (k, v) -> {
                  String s = v.scalar();
                  if (s != null) {
                    out.put(k, s);
                  }
                });
      }
      return out;
    }

    Map<String, Text> textMap(String key) {
      Map<String, Text> out = new LinkedHashMap<>();
      YNode n = entries.get(key);
      if (n != null) {
        n.entries()
            .forEach(
                (k, v) -> {
                  String s = v.scalar();
                  if (s != null) {
                    out.put(k, new Text(s, v.textAt()));
                  }
                });
      }
      return out;
    }

    List<String> stringList(String key) {
      List<String> out = new ArrayList<>();
      YNode n = entries.get(key);
      if (n != null) {
        for (YNode item : n.items()) {
          String s = item.scalar();
          if (s != null) {
            out.add(s);
          }
        }
      }
      return out;
    }

    /**
     * A mapping of named entries, each read by {@code reader(name, node)}; null results are
     * skipped.
     */
    <T> Map<String, T> map(String key, BiFunction<String, YNode, T> reader) {
      Map<String, T> out = new LinkedHashMap<>();
      YNode n = entries.get(key);
      if (n != null) {
        n.entries()
            .forEach(
                (k, v) -> {
                  T t = reader.apply(k, v);
                  if (t != null) {
                    out.put(k, t);
                  }
                });
      }
      return out;
    }
  }
}
