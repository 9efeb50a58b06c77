package dev.medley.plan;

import dev.medley.config.ParamSpec;
import dev.medley.config.Problems;
import dev.medley.config.Src;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves names used in one place of a route (a step's templates, a condition, the response) to
 * {@link Ref}s, recording which steps are referenced: those references are the step DAG's edges.
 * Unknown names are reported with the names that would have been valid.
 */
final class Binder {
  static final Set<String> RESERVED =
      Set.of("params", "query", "headers", "claims", "body", "items", "result");

  /** In a forEach step's templates, select and batch key: the current item's position. */
  static final String INDEX = "index";

  private final Set<String> pathParams;
  private final Set<String> queryNames;

  /** Declared non-text types by "params.NAME" / "query.NAME", for expressions. */
  private final Map<String, String> types;

  private final List<String> headerNames;
  private final Map<String, Integer> steps;
  private final Problems problems;
  private final String keyPath;
  private final int self;
  private final String itemName;
  private final boolean allowItems;
  private final boolean allowResult;
  private final Set<Integer> deps;

  /**
   * Names bound by a response shape's {@code $each}, by slot ({@link Scope#local}); usually empty.
   */
  private final Map<String, Integer> locals;

  Binder(
      Map<String, ParamSpec> pathParams,
      Map<String, ParamSpec> query,
      List<String> headerNames,
      Map<String, Integer> steps,
      Problems problems,
      String keyPath,
      int self,
      String itemName,
      boolean allowItems,
      boolean allowResult) {
    this(
        pathParams.keySet(),
        query.keySet(),
        types(pathParams, query),
        headerNames,
        steps,
        problems,
        keyPath,
        self,
        itemName,
        allowItems,
        allowResult,
        new LinkedHashSet<>(),
        Map.of());
  }

  private Binder(
      Set<String> pathParams,
      Set<String> queryNames,
      Map<String, String> types,
      List<String> headerNames,
      Map<String, Integer> steps,
      Problems problems,
      String keyPath,
      int self,
      String itemName,
      boolean allowItems,
      boolean allowResult,
      Set<Integer> deps,
      Map<String, Integer> locals) {
    this.deps = deps;
    this.locals = locals;
    this.types = types;
    this.pathParams = pathParams;
    this.queryNames = queryNames;
    this.headerNames = headerNames;
    this.steps = steps;
    this.problems = problems;
    this.keyPath = keyPath;
    this.self = self;
    this.itemName = itemName;
    this.allowItems = allowItems;
    this.allowResult = allowResult;
  }

  /**
   * The same context at another key path and with other local names, sharing the dependency set.
   */
  Binder at(String subPath, String item, boolean items, boolean result) {
    return new Binder(
        pathParams,
        queryNames,
        types,
        headerNames,
        steps,
        problems,
        subPath,
        self,
        item,
        items,
        result,
        deps,
        locals);
  }

  /**
   * The same context with {@code name} bound to the next local slot (a {@code $each} element);
   * names of the enclosing {@code $each}es stay visible.
   */
  Binder withLocal(String name) {
    Map<String, Integer> more = new LinkedHashMap<>(locals);
    more.put(name, locals.size());
    return new Binder(
        pathParams,
        queryNames,
        types,
        headerNames,
        steps,
        problems,
        keyPath,
        self,
        itemName,
        allowItems,
        allowResult,
        deps,
        Map.copyOf(more));
  }

  /** Names bound by enclosing {@code $each}es, by slot. */
  Map<String, Integer> locals() {
    return locals;
  }

  private static Map<String, String> types(
      Map<String, ParamSpec> pathParams, Map<String, ParamSpec> query) {
    Map<String, String> t = new LinkedHashMap<>();
    pathParams.forEach(
        (k, v) -> {
          if (v != null && v.type() != null && !v.type().equals("string")) {
            t.put("params." + k, v.type());
          }
        });
    query.forEach(
        (k, v) -> {
          if (v != null && v.repeated()) {
            // A list of its declared type; templates read it as a list of text (string[]).
            t.put("query." + k, (v.type() == null ? "string" : v.type()) + "[]");
          } else if (v != null && v.type() != null && !v.type().equals("string")) {
            t.put("query." + k, v.type());
          }
        });
    return Map.copyOf(t);
  }

  /**
   * The declared type of a parameter ({@code params}/{@code query} and its name); null for text.
   */
  String typeOf(Ref.Root root, String key) {
    return root == Ref.Root.PARAM
        ? types.get("params." + key)
        : root == Ref.Root.QUERY ? types.get("query." + key) : null;
  }

  /** Declared non-text types by "params.NAME" / "query.NAME". */
  Map<String, String> types() {
    return types;
  }

  String keyPath() {
    return keyPath;
  }

  Problems problems() {
    return problems;
  }

  Set<Integer> deps() {
    return deps;
  }

  Map<String, Integer> steps() {
    return steps;
  }

  String itemName() {
    return itemName;
  }

  boolean allowItems() {
    return allowItems;
  }

  boolean allowResult() {
    return allowResult;
  }

  void error(Src at, String message) {
    problems.add(at, keyPath, message);
  }

  /** Names an expression may use as roots, for the expression compiler's declarations. */
  List<String> rootNames() {
    List<String> names = new ArrayList<>(List.of("params", "query", "headers", "claims", "body"));
    names.addAll(steps.keySet());
    if (itemName != null) {
      names.add(itemName);
      if (!itemName.equals(INDEX) && !steps.containsKey(INDEX)) {
        names.add(INDEX);
      }
    }
    if (allowItems) {
      names.add("items");
    }
    if (allowResult) {
      names.add("result");
    }
    for (String local : locals.keySet()) {
      if (!names.contains(local)) {
        names.add(local);
      }
    }
    return names;
  }

  /**
   * Resolves {@code segs} (a dotted name split into parts); reports and returns null if unknown.
   */
  Ref bind(List<String> segs, Src at) {
    String root = segs.get(0);
    String[] rest = segs.subList(1, segs.size()).toArray(String[]::new);
    Integer local = locals.isEmpty() ? null : locals.get(root);
    if (local != null) {
      return new Ref(Ref.Root.LOCAL, null, local, rest);
    }
    String[] afterKey =
        segs.size() > 2 ? segs.subList(2, segs.size()).toArray(String[]::new) : new String[0];
    switch (root) {
      case "params" -> {
        return keyed(Ref.Root.PARAM, segs, pathParams, "path parameter", at, afterKey);
      }
      case "query" -> {
        return keyed(Ref.Root.QUERY, segs, queryNames, "declared query parameter", at, afterKey);
      }
      case "headers" -> {
        return keyed(
            Ref.Root.HEADER,
            segs,
            new LinkedHashSet<>(headerNames),
            "allow-listed header",
            at,
            afterKey);
      }
      case "claims" -> {
        return new Ref(Ref.Root.CLAIMS, null, -1, rest);
      }
      case "body" -> {
        return new Ref(Ref.Root.BODY, null, -1, rest);
      }
      default -> {}
    }
    if (allowItems && root.equals("items")) {
      return new Ref(Ref.Root.ITEMS, null, -1, rest);
    }
    if (allowResult && root.equals("result")) {
      return new Ref(Ref.Root.RESULT, null, -1, rest);
    }
    if (itemName != null && root.equals(itemName)) {
      return new Ref(Ref.Root.ITEM, null, -1, rest);
    }
    if (itemName != null && root.equals(INDEX)) {
      if (steps.containsKey(INDEX)) {
        error(
            at,
            "'index' is both a step of this route and the forEach item's position here (rename"
                + " the step to read it)");
        return null;
      }
      return new Ref(Ref.Root.INDEX, null, -1, rest);
    }
    Integer step = steps.get(root);
    if (step != null) {
      if (step == self) {
        error(at, "step refers to its own result '" + root + "' (a step cannot depend on itself)");
        return null;
      }
      deps.add(step);
      return new Ref(Ref.Root.STEP, null, step, rest);
    }
    if (segs.size() == 1 && pathParams.contains(root)) {
      return new Ref(Ref.Root.PARAM, root, -1, new String[0]);
    }
    String hint = dev.medley.config.Suggest.hint(root, validRoots());
    error(
        at,
        "unknown reference '"
            + String.join(".", segs)
            + "'"
            + hint
            + " (expected one of: "
            + String.join(", ", validRoots())
            + ")");
    return null;
  }

  private Ref keyed(
      Ref.Root kind, List<String> segs, Set<String> valid, String what, Src at, String[] path) {
    if (segs.size() < 2) {
      error(at, "'" + segs.get(0) + "' needs a name, e.g. " + segs.get(0) + ".NAME");
      return null;
    }
    String key =
        kind == Ref.Root.HEADER ? segs.get(1).toLowerCase(java.util.Locale.ROOT) : segs.get(1);
    if (!valid.contains(key)) {
      error(
          at,
          "'"
              + key
              + "' is not a "
              + what
              + " of this route"
              + dev.medley.config.Suggest.hint(key, valid)
              + " (expected one of: "
              + (valid.isEmpty() ? "none declared" : String.join(", ", valid))
              + ")");
      return null;
    }
    String type = kind == Ref.Root.QUERY ? types.get("query." + key) : null;
    return type != null && type.endsWith("[]")
        ? new Ref(kind, key, -1, path, "string[]") // a repeated parameter: its values, as text
        : new Ref(kind, key, -1, path);
  }

  private List<String> validRoots() {
    List<String> names = new ArrayList<>(pathParams);
    for (String r : rootNames()) {
      if (!names.contains(r)) {
        names.add(r);
      }
    }
    return names;
  }
}
