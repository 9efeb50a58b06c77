package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fast path for expressions that are plain paths ({@code product.images[0].thumbnail}): a
 * direct JSON walk, no interpreter. Most response fields are like this. An absent field gives null,
 * as in every expression; a field of a string or number is an error, as in CEL.
 */
record PathExpr(Ref ref, String source, String where) implements Expr {
  @Override
  public JsonNode eval(Scope scope) {
    JsonNode v = ref.resolve(scope);
    if (v == null) {
      String bad = ref.typeMismatch(scope);
      if (bad != null) {
        throw new ExprException(where, bad);
      }
    }
    return v;
  }
}
