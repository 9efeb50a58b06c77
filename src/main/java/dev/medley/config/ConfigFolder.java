package dev.medley.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A config written as a folder, so each team owns its file: every {@code *.yaml} (or {@code *.yml})
 * file directly in the folder, in name order, except hidden files and composition tests ({@code
 * *.test.yaml}). The files' top-level sections are merged into one config: the entries of {@code
 * upstreams} and {@code experiences} from every file, each name defined in one file only; any other
 * section ({@code server}, {@code auth}, {@code observe}, {@code cache}) in one file only; {@code
 * version} in any file. A name or section given twice is a located error naming both places.
 */
public final class ConfigFolder {
  /** Sections whose entries several files may contribute to. */
  private static final Set<String> SHARED = Set.of("upstreams", "experiences");

  private ConfigFolder() {}

  /** The config files of {@code dir} in merge order; {@code dir} itself when it is a file. */
  public static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of(dir);
    }
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> Files.isRegularFile(p) && isConfigName(p.getFileName().toString()))
          .sorted()
          .toList();
    }
  }

  /** True for a file name a folder config merges. */
  public static boolean isConfigName(String name) {
    return !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml"))
        && !isTestName(name);
  }

  /** True for a composition-test file name ({@code *.test.yaml}), which sits beside configs. */
  public static boolean isTestName(String name) {
    return name.endsWith(".test.yaml") || name.endsWith(".test.yml");
  }

  /** Each config file's name (as locations show it) and text, in merge order. */
  public static Map<String, String> read(Path fileOrDir) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    for (Path p : files(fileOrDir)) {
      texts.put(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
    }
    if (texts.isEmpty()) {
      throw new IOException(fileOrDir + " has no .yaml files");
    }
    return texts;
  }

  /** One mapping holding every file's sections; clashes are recorded in {@code problems}. */
  static Node merge(List<Node> roots, Problems problems) {
    Map<String, NodeTuple> sections = new LinkedHashMap<>();
    Map<String, List<NodeTuple>> entries = new LinkedHashMap<>();
    Map<String, Node> entriesAt = new LinkedHashMap<>();
    Map<String, Node> definedAt = new LinkedHashMap<>();
    for (Node root : roots) {
      if (!(root instanceof MappingNode m)) {
        problems.add(
            at(root),
            "",
            "expected a mapping of top-level sections (version, upstreams, experiences ...)");
        continue;
      }
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          problems.add(at(t.getKeyNode()), "", "keys must be plain strings");
          continue;
        }
        String key = k.getValue();
        if (SHARED.contains(key) && t.getValueNode() instanceof MappingNode section) {
          entriesAt.putIfAbsent(key, t.getValueNode());
          List<NodeTuple> merged = entries.computeIfAbsent(key, x -> new ArrayList<>());
          if (!sections.containsKey(key)) {
            sections.put(key, t);
          }
          for (NodeTuple e : section.getValue()) {
            String name = e.getKeyNode() instanceof ScalarNode en ? en.getValue() : null;
            Node before =
                name == null ? null : definedAt.putIfAbsent(key + "." + name, e.getKeyNode());
            if (before != null) {
              problems.add(
                  at(e.getKeyNode()),
                  key + "." + name,
                  (key.equals("upstreams") ? "upstream '" : "experience '")
                      + name
                      + "' is also defined at "
                      + at(before)
                      + " (expected each name in one file of the folder)");
              continue;
            }
            merged.add(e);
          }
        } else if (sections.containsKey(key) && !key.equals("version")) {
          problems.add(
              at(t.getKeyNode()),
              key,
              "'"
                  + key
                  + "' is also set at "
                  + at(sections.get(key).getKeyNode())
                  + " (expected each top-level section in one file of the folder; upstreams and experiences may be split)");
        } else {
          sections.putIfAbsent(key, t);
        }
      }
    }
    List<NodeTuple> out = new ArrayList<>();
    sections.forEach(
        (key, t) -> {
          if (entries.containsKey(key)) {
            Node first = entriesAt.get(key);
            out.add(
                new NodeTuple(
                    t.getKeyNode(),
                    new MappingNode(
                        Tag.MAP,
                        true,
                        entries.get(key),
                        FlowStyle.BLOCK,
                        first.getStartMark(),
                        first.getEndMark())));
          } else {
            out.add(t);
          }
        });
    Node first = roots.get(0);
    return new MappingNode(
        Tag.MAP, true, out, FlowStyle.BLOCK, first.getStartMark(), first.getEndMark());
  }

  private static Src at(Node n) {
    return n.getStartMark().map(ConfigFolder::src).orElse(Src.NONE);
  }

  private static Src src(Mark m) {
    return new Src(m.getName(), m.getLine() + 1, m.getColumn() + 1);
  }
}
