package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fast path for expressions that are plain paths ({@code product.images[0].thumbnail}): a
 * direct JSON walk, no interpreter. Most response fields are like this.
 */
record PathExpr(Ref ref, String source) implements Expr {
  @Override
  public JsonNode eval(Scope scope) {
    return ref.resolve(scope);
  }
}
