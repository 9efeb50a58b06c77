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

  CelExpr(CelRuntime.Program program, String source, String[] names, Ref[] roots, Src at, String keyPath) {
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
      throw new ExprException(where + " (" + keyPath + ")", ExprCompiler.runtimeDetail(e.getMessage()));
    }
    JsonNode json = CelJson.toJson(result);
    if (json == null) {
      throw new ExprException(at + " (" + keyPath + ")", "the result is not a JSON number (a division by zero?)");
    }
    return json;
  }

  private static Object value(Ref ref, Scope s) {
    return switch (ref.root()) {
      case PARAM -> s.params;
      case QUERY -> s.query;
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

  @Override
  public String where() {
    return at + " (" + keyPath + ")";
  }

  @Override
  public String source() {
    return source;
  }
}
