package dev.medley.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A free-form YAML value (response shape, request body, fallback) with source locations kept on its
 * strings. Whether a string is an expression or a template is decided by the plan compiler.
 */
public sealed interface ValueSpec {
  Src at();

  /** A number, boolean or null written in the config: taken as it is. */
  record Literal(JsonNode value, Src at) implements ValueSpec {}

  /** A string: an expression in a response shape, a template in a body. */
  record Str(Text text) implements ValueSpec {
    @Override
    public Src at() {
      return text.at();
    }
  }

  /** A mapping, in the order it was written. */
  record Obj(Map<String, ValueSpec> fields, Src at) implements ValueSpec {}

  /** A sequence. */
  record Arr(List<ValueSpec> items, Src at) implements ValueSpec {}
}
