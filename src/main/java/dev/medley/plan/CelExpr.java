package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.medley.config.Src;
import java.util.HashMap;
import java.util.Map;

/**
 * An expression run by CEL's interpreter. Only the roots it names are converted into CEL values,
 * and a step's converted result is shared by every expression of the request.
 */
final class CelExpr implements Expr {
  private final CelRuntime.Program program;
  private final String source;
  private final String[] names;
  private final Ref[] roots;
  private final Src at;
  private final String keyPath;

  /**
   * Declared non-text parameter types, "params.NAME" / "query.NAME": whole maps are read typed too.
   */
  private final Map<String, String> types;

  CelExpr(
      CelRuntime.Program program,
      String source,
      String[] names,
      Ref[] roots,
      Src at,
      String keyPath,
      Map<String, String> types) {
    this.types = types;
    this.program = program;
    this.source = source;
    this.names = names;
    this.roots = roots;
    this.at = at;
    this.keyPath = keyPath;
  }

  @Override
  public JsonNode eval(Scope scope) {
    Map<String, Object> vars = new HashMap<>(names.length * 2);
    for (int i = 0; i < names.length; i++) {
      vars.put(names[i], value(roots[i], scope));
    }
    Object result;
    try {
      result = program.eval(vars);
    } catch (CelEvaluationException e) {
      // Located inside the expression; the evaluator's words go to the detail (logs), not clients.
      Src where = ExprCompiler.runtimeLocation(at, source, e.getMessage());
      throw new ExprException(
          where + " (" + keyPath + ")", ExprCompiler.runtimeDetail(e.getMessage()));
    }
    JsonNode json = CelJson.toJson(result);
    if (json == null) {
      throw new ExprException(
          at + " (" + keyPath + ")", "the result is not a JSON number (a division by zero?)");
    }
    return json;
  }

  private Object value(Ref ref, Scope s) {
    if (ref.key() != null && (ref.root() == Ref.Root.PARAM || ref.root() == Ref.Root.QUERY)) {
      return CelJson.toCel(ref.resolve(s)); // a typed parameter read as a variable of its own
    }
    return switch (ref.root()) {
      case PARAM -> typedMap(s.params, "params.");
      case QUERY ->
          s.queryLists.isEmpty()
              ? typedMap(s.query, "query.")
              : withLists(s, typedMap(s.query, "query."));
      case HEADER -> s.headers;
      case STEP -> {
        Object cached = s.celValues[ref.step()];
        if (cached == null) {
          cached = CelJson.toCel(s.steps[ref.step()]);
          s.celValues[ref.step()] = cached;
        }
        yield cached;
      }
      default -> CelJson.toCel(ref.resolve(s));
    };
  }

  /**
   * {@code params} or {@code query} with declared types applied; the map itself when all are text.
   */
  private Object typedMap(Map<String, String> texts, String prefix) {
    if (types.isEmpty()) {
      return texts;
    }
    Map<String, Object> m = null;
    for (Map.Entry<String, String> e : texts.entrySet()) {
      String type = types.get(prefix + e.getKey());
      if (type != null) {
        if (m == null) {
          m = new HashMap<>(texts);
        }
        m.put(e.getKey(), CelJson.toCel(Ref.typedValue(e.getValue(), type)));
      }
    }
    return m == null ? texts : m;
  }

  /** The whole {@code query} map with each repeated parameter as the list of its values. */
  private Object withLists(Scope s, Object singles) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = new HashMap<>((Map<String, Object>) singles);
    for (String name : s.queryLists.keySet()) {
      String type = types.get("query." + name);
      m.put(name, CelJson.toCel(Ref.list(s, name, type == null ? "string[]" : type)));
    }
    return m;
  }

  @Override
  public String where() {
    return at + " (" + keyPath + ")";
  }

  @Override
  public String source() {
    return source;
  }
}
