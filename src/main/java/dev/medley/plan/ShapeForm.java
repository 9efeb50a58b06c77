package dev.medley.plan;

import dev.medley.config.Src;
import dev.medley.config.Suggest;
import dev.medley.config.ValueSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A shaping form in a response: a YAML mapping whose keys start with {@code $} ({@code $from},
 * {@code $each}, {@code $merge}, {@code $flatten} and their options) instead of an object written
 * field by field. Parsed and checked once at load; {@link FormShape} compiles it for requests and
 * {@code admin/OpenApi} derives the answer's schema from it. A literal field whose name starts with
 * {@code $} is written {@code $$name}. See docs/config.md, "Shaping forms".
 *
 * @param kind which base the form takes its value from
 * @param source the {@code $from}, {@code $each} or {@code $flatten} value (null for {@code
 *     $merge})
 * @param merge the {@code $merge} parts (empty otherwise)
 * @param as the name of a {@code $each} element ({@code item} unless {@code $as} names it)
 * @param asAt where {@code $as} is written (the form's location when absent)
 * @param pick the allow-list, or null for "keep everything"
 * @param except the paths removed
 * @param rename source path to new name, in written order
 * @param fields fields added to the result (or each element), names unescaped
 * @param shape the {@code $each} element's shape, or null
 * @param at where the form is written
 */
public record ShapeForm(
    Kind kind,
    ValueSpec source,
    List<ValueSpec> merge,
    String as,
    Src asAt,
    List<Path> pick,
    List<Path> except,
    List<Rename> rename,
    Map<String, ValueSpec> fields,
    ValueSpec shape,
    Src at) {

  /** Where the value comes from. */
  public enum Kind {
    /** {@code $from}: one object, edited. */
    FROM,
    /** {@code $each}: every element of a list, shaped or edited. */
    EACH,
    /** {@code $merge}: several objects merged, later ones winning, then edited. */
    MERGE,
    /** {@code $flatten}: a list whose list elements are spliced in, one level. */
    FLATTEN
  }

  /**
   * A path in {@code $pick}, {@code $except} or {@code $rename}: field names; a list on the way is
   * gone through element by element ({@code [*]} may say so, and is otherwise implied).
   */
  public record Path(List<String> names, String text, Src at) {
    /** The names above the last one. */
    public List<String> parent() {
      return names.subList(0, names.size() - 1);
    }

    /** The last name. */
    public String last() {
      return names.get(names.size() - 1);
    }
  }

  /** {@code from} renamed to {@code to} in the same object. */
  public record Rename(Path from, String to, Src at) {}

  /** Receives a problem: where, the form key it is under, what is wrong. */
  @FunctionalInterface
  public interface Report {
    void error(Src at, String key, String message);
  }

  /** Every form key, in the order the docs list them. */
  public static final List<String> KEYS =
      List.of(
          "$from", "$each", "$merge", "$flatten", "$as", "$pick", "$except", "$rename", "$shape");

  private static final List<String> BASES = List.of("$from", "$each", "$merge", "$flatten");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern SEGMENT = Pattern.compile("[^.\\[\\]\\s]+(\\[\\*])?");

  /** True when the mapping is a form: one of its keys starts with a single {@code $}. */
  public static boolean isForm(ValueSpec.Obj o) {
    for (String k : o.fields().keySet()) {
      if (k.startsWith("$") && !k.startsWith("$$")) {
        return true;
      }
    }
    return false;
  }

  /** A literal field's name: {@code $$x} is the field {@code $x}. */
  public static String fieldName(String key) {
    return key.startsWith("$$") ? key.substring(1) : key;
  }

  /** Parses a form; reports every problem and returns null when there was any. */
  public static ShapeForm parse(ValueSpec.Obj o, Report report) {
    int[] errors = {0};
    ShapeForm form =
        build(
            o,
            (at, key, message) -> {
              errors[0]++;
              report.error(at, key, message);
            });
    return errors[0] == 0 ? form : null;
  }

  private static ShapeForm build(ValueSpec.Obj o, Report report) {
    Map<String, ValueSpec> f = o.fields();
    List<String> bases = new ArrayList<>();
    Map<String, ValueSpec> fields = new LinkedHashMap<>();
    boolean unknown = false;
    for (Map.Entry<String, ValueSpec> e : f.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("$") && !k.startsWith("$$")) {
        if (!KEYS.contains(k)) {
          unknown = true;
          report.error(
              e.getValue().at(),
              k,
              "unknown shaping key '"
                  + k
                  + "'"
                  + Suggest.hint(k, KEYS)
                  + " (expected one of: "
                  + String.join(", ", KEYS)
                  + "; a field whose name starts with $ is written $$"
                  + k.substring(1)
                  + ")");
        } else if (BASES.contains(k)) {
          bases.add(k);
        }
      } else {
        fields.put(fieldName(k), e.getValue());
      }
    }
    if (bases.isEmpty()) {
      if (unknown) {
        return null; // a misspelt base key; one error is enough
      }
      report.error(
          o.at(),
          "",
          "a shaping form needs one of $from (an object), $each (a list), $merge (objects) or"
              + " $flatten (a list of lists)");
      return null;
    }
    if (bases.size() > 1) {
      report.error(
          f.get(bases.get(1)).at(),
          bases.get(1),
          bases.get(0)
              + " and "
              + bases.get(1)
              + " cannot be used together: a form takes its value from one of them (nest a form"
              + " inside another to combine them)");
      return null;
    }
    String base = bases.get(0);
    Kind kind =
        switch (base) {
          case "$from" -> Kind.FROM;
          case "$each" -> Kind.EACH;
          case "$merge" -> Kind.MERGE;
          default -> Kind.FLATTEN;
        };
    for (String only : List.of("$as", "$shape")) {
      if (f.containsKey(only) && kind != Kind.EACH) {
        report.error(
            f.get(only).at(),
            only,
            only + " belongs to $each (it names or shapes each element of a list), not " + base);
      }
    }
    if (kind == Kind.FLATTEN && f.size() > 1) {
      String other =
          f.keySet().stream().filter(k -> !k.equals("$flatten")).findFirst().orElseThrow();
      report.error(
          f.get(other).at(),
          other,
          "$flatten stands alone: it splices the list elements of a list into it; put $pick or"
              + " $except on each element with $each around or inside it");
    }
    List<ValueSpec> merge = List.of();
    if (kind == Kind.MERGE) {
      if (f.get("$merge") instanceof ValueSpec.Arr a && a.items().size() >= 2) {
        merge = a.items();
      } else {
        report.error(
            f.get("$merge").at(),
            "$merge",
            "$merge takes a list of at least two objects to merge, e.g. $merge: [product, price]");
      }
    }
    String as = "item";
    Src asAt = o.at();
    if (f.get("$as") != null) {
      asAt = f.get("$as").at();
      if (f.get("$as") instanceof ValueSpec.Str s && NAME.matcher(s.text().value()).matches()) {
        as = s.text().value();
        if (Binder.RESERVED.contains(as)) {
          report.error(
              asAt, "$as", "'" + as + "' is a name Medley reserves; name the element otherwise");
        }
      } else {
        report.error(asAt, "$as", "$as takes a name, e.g. $as: variant");
      }
    }
    List<Path> pick = f.containsKey("$pick") ? paths(f.get("$pick"), "$pick", report) : null;
    List<Path> except =
        f.containsKey("$except") ? paths(f.get("$except"), "$except", report) : List.of();
    List<Rename> rename = renames(f.get("$rename"), report);
    ValueSpec shape = f.get("$shape");
    boolean edits = pick != null || !except.isEmpty() || !rename.isEmpty() || !fields.isEmpty();
    if (shape != null && edits) {
      report.error(
          shape.at(),
          "$shape",
          "$shape builds each element itself; $pick, $except, $rename and added fields edit the"
              + " element instead: use one or the other (fields go inside $shape)");
    }
    if (kind == Kind.EACH && shape == null && !edits && !unknown) {
      report.error(
          f.get("$each").at(),
          "$each",
          "$each needs $shape, $pick, $except, $rename or fields to apply to each element");
    }
    if (kind != Kind.FLATTEN && shape == null) {
      conflicts(pick, except, rename, fields, o.at(), report);
    }
    return new ShapeForm(
        kind,
        f.get(base) instanceof ValueSpec v && kind != Kind.MERGE ? v : null,
        merge,
        as,
        asAt,
        pick,
        except,
        rename,
        java.util.Collections.unmodifiableMap(fields),
        shape,
        o.at());
  }

  private static List<Path> paths(ValueSpec v, String key, Report report) {
    if (!(v instanceof ValueSpec.Arr a) || a.items().isEmpty()) {
      report.error(
          v.at(),
          key,
          key + " takes a list of paths, e.g. " + key + ": [id, price.amount, items[*].sku]");
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ValueSpec item : a.items()) {
      Path p = path(item, key, report);
      if (p == null) {
        continue;
      }
      if (!seen.add(String.join(".", p.names()))) {
        report.error(p.at(), key, "'" + p.text() + "' is listed twice in " + key);
        continue;
      }
      out.add(p);
    }
    return out;
  }

  private static Path path(ValueSpec item, String key, Report report) {
    if (!(item instanceof ValueSpec.Str s)) {
      report.error(item.at(), key, key + " paths are field names such as price.amount");
      return null;
    }
    String text = s.text().value().strip();
    String[] segs = text.split("\\.", -1);
    List<String> names = new ArrayList<>();
    for (String seg : segs) {
      if (!SEGMENT.matcher(seg).matches()) {
        String hint =
            seg.matches(".*\\[\\d+].*")
                ? ": a position in a list is not a path here; [*] (every element) is"
                : seg.isEmpty()
                    ? ": a name is missing between dots"
                    : ": write field names separated by dots, [*] after a list's name";
        report.error(s.at(), key, "'" + text + "' is not a path" + hint);
        return null;
      }
      names.add(seg.endsWith("[*]") ? seg.substring(0, seg.length() - 3) : seg);
    }
    return new Path(List.copyOf(names), text, s.at());
  }

  private static List<Rename> renames(ValueSpec v, Report report) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof ValueSpec.Obj o) || o.fields().isEmpty()) {
      report.error(
          v.at(), "$rename", "$rename maps a field to its new name, e.g. $rename: { sku: id }");
      return List.of();
    }
    List<Rename> out = new ArrayList<>();
    Map<String, Rename> targets = new LinkedHashMap<>();
    for (Map.Entry<String, ValueSpec> e : o.fields().entrySet()) {
      Path from =
          path(
              new ValueSpec.Str(new dev.medley.config.Text(e.getKey(), e.getValue().at())),
              "$rename",
              report);
      if (from == null) {
        continue;
      }
      if (!(e.getValue() instanceof ValueSpec.Str to)
          || !SEGMENT.matcher(to.text().value()).matches()
          || to.text().value().endsWith("[*]")) {
        report.error(
            e.getValue().at(),
            "$rename",
            "the new name of '"
                + e.getKey()
                + "' must be one field name (it stays in the same object), e.g. "
                + from.last()
                + ": newName");
        continue;
      }
      String name = to.text().value();
      String key = String.join(".", from.parent()) + "|" + name;
      Rename r = new Rename(from, name, to.at());
      Rename earlier = targets.putIfAbsent(key, r);
      if (earlier != null) {
        report.error(
            to.at(),
            "$rename",
            "'"
                + e.getKey()
                + "' and '"
                + earlier.from().text()
                + "' are both renamed to '"
                + name
                + "': one would overwrite the other");
        continue;
      }
      out.add(r);
    }
    return out;
  }

  /** Edits that contradict each other are load errors, never a silent winner. */
  private static void conflicts(
      List<Path> pick,
      List<Path> except,
      List<Rename> rename,
      Map<String, ValueSpec> fields,
      Src at,
      Report report) {
    for (Path e : except) {
      for (Path other : except) {
        if (other != e && startsWith(e.names(), other.names())) {
          report.error(
              e.at(),
              "$except",
              "'" + e.text() + "' is removed already with '" + other.text() + "'");
        }
      }
      if (pick != null) {
        for (Path p : pick) {
          if (startsWith(p.names(), e.names())) {
            report.error(
                e.at(),
                "$except",
                "'"
                    + p.text()
                    + "' is both picked and removed (remove a field inside a picked one, or"
                    + " leave it out of $pick)");
          }
        }
      }
      if (e.names().size() == 1 && fields.containsKey(e.last())) {
        report.error(
            e.at(),
            "$except",
            "'" + e.last() + "' is removed and added back as a field; leave it out of $except");
      }
    }
    for (Rename r : rename) {
      for (Path e : except) {
        if (startsWith(r.from().names(), e.names())) {
          report.error(
              r.from().at(),
              "$rename",
              "'" + r.from().text() + "' is renamed but removed by $except '" + e.text() + "'");
        }
      }
      if (pick != null && pick.stream().noneMatch(p -> startsWith(r.from().names(), p.names()))) {
        report.error(
            r.from().at(),
            "$rename",
            "'"
                + r.from().text()
                + "' is renamed but not in $pick, so it is never there to rename (add it to"
                + " $pick)");
      }
      if (r.from().names().size() == 1 && fields.containsKey(r.to())) {
        report.error(
            r.at(),
            "$rename",
            "'"
                + r.from().text()
                + "' is renamed to '"
                + r.to()
                + "', which is also an added field: one would overwrite the other");
      }
      if (pick != null) {
        for (Path p : pick) {
          boolean sameParent = p.parent().equals(r.from().parent());
          boolean renamedAway = rename.stream().anyMatch(x -> x.from().names().equals(p.names()));
          if (sameParent && p.last().equals(r.to()) && !renamedAway) {
            report.error(
                r.at(),
                "$rename",
                "'"
                    + r.from().text()
                    + "' is renamed to '"
                    + r.to()
                    + "', which is also picked: one would overwrite the other");
          }
        }
      }
    }
  }

  /** True when {@code path} is {@code prefix} or inside it. */
  static boolean startsWith(List<String> path, List<String> prefix) {
    return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
  }
}
