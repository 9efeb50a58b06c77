package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;

/** A compiled expression. Evaluation never parses; it fails with {@link ExprException}. */
public interface Expr {
  /** The value; Java null for a missing path. */
  JsonNode eval(Scope scope);

  /** The source text, for explain output and errors. */
  String source();

  /** Thrown when an expression cannot be evaluated for this request (missing key, wrong type). */
  final class ExprException extends RuntimeException {
    public ExprException(String message) {
      super(message, null, false, false);
    }
  }
}
