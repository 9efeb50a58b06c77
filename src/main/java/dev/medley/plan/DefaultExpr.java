package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fast path for the commonest conditional, a value or its default: {@code a != null ? a : b}
 * with plain paths {@code a} and {@code b}. It gives what CEL gives in Medley's dialect, without
 * the interpreter (which cost tens of microseconds per evaluation, more than the rest of a page's
 * shaping, see docs/performance.md): a null or absent value takes the default; an absent default is
 * null.
 */
record DefaultExpr(Ref value, Ref fallback, String source, String where) implements Expr {
  @Override
  public JsonNode eval(Scope scope) {
    JsonNode v = value.resolve(scope);
    if (v != null && !v.isNull()) {
      return v;
    }
    return fallback.resolve(scope);
  }
}
