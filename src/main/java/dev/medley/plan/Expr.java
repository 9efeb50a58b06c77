package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;

/** A compiled expression. Evaluation never parses; it fails with {@link ExprException}. */
public interface Expr {
  /** The value; Java null for a missing path. */
  JsonNode eval(Scope scope);

  /** The source text, for explain output and errors. */
  String source();

  /** Where it is written: file:line:column and key path, for errors, logs and explain. */
  default String where() {
    return "'" + source() + "'";
  }

  /**
   * An expression could not be evaluated for this request (a type mismatch such as a field of a
   * number, arithmetic on null, a division by zero, a result that is no JSON value). {@link #where}
   * names the config location (file:line:column and key path) and is safe to show a client; {@link
   * #detail} says what went wrong and belongs in logs only: it is the evaluator's wording.
   */
  final class ExprException extends RuntimeException {
    private final String where;
    private final String detail;

    public ExprException(String where, String detail) {
      super(where + ": " + detail, null, false, false);
      this.where = where;
      this.detail = detail;
    }

    /** file:line:column (key path) of the expression. */
    public String where() {
      return where;
    }

    /** What failed, for logs. */
    public String detail() {
      return detail;
    }
  }
}
