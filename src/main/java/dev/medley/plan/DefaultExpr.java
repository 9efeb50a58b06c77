package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fast path for the commonest conditional, a value or its default: {@code a != null ? a : b}
 * with plain paths {@code a} and {@code b}. It gives what CEL gives, without the interpreter (which
 * cost tens of microseconds per evaluation, more than the rest of a page's shaping, see
 * docs/performance.md): a JSON null takes the default; a missing field, an index out of range or a
 * field of something that is not an object is an error, as in CEL.
 */
record DefaultExpr(Ref value, Ref fallback, String source) implements Expr {
  @Override
  public JsonNode eval(Scope scope) {
    JsonNode v = value.resolve(scope);
    if (v == null) {
      throw new ExprException("no such key in '" + source + "'");
    }
    if (!v.isNull()) {
      return v;
    }
    JsonNode d = fallback.resolve(scope);
    if (d == null) {
      throw new ExprException("no such key in '" + source + "'");
    }
    return d;
  }
}
