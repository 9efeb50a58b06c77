package dev.medley.plan;

import dev.medley.config.ParamSpec;
import java.util.regex.Pattern;

/**
 * A compiled parameter check: type, pattern and length, applied before any upstream call; for path
 * parameters also {@link PathSafety} (no dot-segments, no encoded slashes unless allowed). A {@code
 * repeated} query parameter keeps every value (at most {@code maxItems}), each checked.
 */
public record ParamRule(
    String name,
    String type,
    Pattern pattern,
    boolean required,
    String defaultValue,
    int maxLength,
    boolean allowEncodedSlashes,
    boolean repeated,
    int maxItems) {
  static ParamRule of(ParamSpec s) {
    return new ParamRule(
        s.name(),
        s.type(),
        s.pattern() == null ? null : Pattern.compile(s.pattern()),
        s.required(),
        s.defaultValue(),
        s.maxLength(),
        s.allowEncodedSlashes(),
        s.repeated(),
        s.maxItems());
  }

  /** Why the (decoded) path parameter {@code value} is not acceptable, or null when it is. */
  public String checkPath(String value) {
    String why = check(value);
    if (why != null) {
      return why;
    }
    why = PathSafety.problem(value, allowEncodedSlashes);
    return why == null
        ? null
        : why
            + (allowEncodedSlashes || !why.contains("slash")
                ? ""
                : " (a parameter may accept encoded slashes with allowEncodedSlashes: true)");
  }

  /** Why {@code value} is not acceptable, or null when it is. */
  public String check(String value) {
    if (value.length() > maxLength) {
      return "is longer than " + maxLength + " characters";
    }
    switch (type) {
      case "integer" -> {
        if (!value.matches("-?\\d{1,18}")) {
          return "is not an integer";
        }
      }
      case "number" -> {
        if (!value.matches("-?\\d{1,18}(\\.\\d{1,18})?([eE][-+]?\\d{1,3})?")) {
          return "is not a number";
        }
      }
      case "boolean" -> {
        if (!value.equals("true") && !value.equals("false")) {
          return "is not true or false";
        }
      }
      default -> {}
    }
    if (pattern != null && !pattern.matcher(value).matches()) {
      return "does not match " + pattern.pattern();
    }
    return null;
  }
}
