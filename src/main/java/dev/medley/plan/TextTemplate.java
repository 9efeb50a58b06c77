package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.medley.config.Text;

/**
 * A string with {@code {name}} references, filled as plain text (no URL encoding): query values,
 * header values and body strings. A template that is exactly one reference yields the raw JSON.
 */
final class TextTemplate {
  private final String[] literals;
  private final Ref[] refs;
  private final boolean single;

  private TextTemplate(TemplateParts p) {
    this.literals = p.literals.toArray(String[]::new);
    this.refs = p.refs.toArray(Ref[]::new);
    this.single = p.isSingleRef();
  }

  static TextTemplate compile(Text text, Binder binder) {
    TemplateParts p = TemplateParts.parse(text, binder);
    return p.ok ? new TextTemplate(p) : null;
  }

  /** True when the template is exactly one reference, so {@link #value} is the raw value. */
  boolean single() {
    return single;
  }

  /** The JSON value: the referenced value itself for a lone reference, else the filled text. */
  JsonNode value(Scope s) {
    if (single) {
      return refs[0].resolve(s);
    }
    return TextNode.valueOf(text(s));
  }

  /**
   * Filled text; missing values become empty. Null when the whole template is one missing value.
   */
  String text(Scope s) {
    if (single) {
      JsonNode v = refs[0].resolve(s);
      return v == null || v.isNull() ? null : asText(v);
    }
    StringBuilder sb = new StringBuilder(literals[0]);
    for (int i = 0; i < refs.length; i++) {
      JsonNode v = refs[i].resolve(s);
      if (v != null && !v.isNull()) {
        sb.append(asText(v));
      }
      sb.append(literals[i + 1]);
    }
    return sb.toString();
  }

  /** Filled text, or null when any reference is missing, null or a list or object. */
  String strictText(Scope s) {
    StringBuilder sb = new StringBuilder(literals[0]);
    for (int i = 0; i < refs.length; i++) {
      JsonNode v = refs[i].resolve(s);
      if (v == null || !v.isValueNode() || v.isNull()) {
        return null;
      }
      sb.append(v.asText()).append(literals[i + 1]);
    }
    return sb.toString();
  }

  static String asText(JsonNode v) {
    return v.isValueNode() ? v.asText() : v.toString();
  }
}
