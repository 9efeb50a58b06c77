package dev.medley.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.StaticSpec;

/**
 * Merges a route's {@code static:} members into its answers: beside the response's own members on a
 * complete or partial 200 (the plan refused names that collide), and as extension members of the
 * problem+json body of a failed answer.
 */
final class Statics {
  private Statics() {}

  /** Adds the static members to a 200 body when {@code on} includes this kind of answer. */
  static void merge(StaticSpec st, boolean complete, ObjectNode body) {
    if (!st.on().contains(complete ? StaticSpec.COMPLETE : StaticSpec.PARTIAL)) {
      return;
    }
    // The values are shared by every answer; they are only ever written out, never changed.
    st.data()
        .fields()
        .forEachRemaining(
            e -> {
              if (!body.has(e.getKey())) {
                body.set(e.getKey(), e.getValue());
              }
            });
  }

  /** The members for a failed answer, or null when {@code on} leaves failures out. */
  static ObjectNode onFailure(StaticSpec st) {
    return st.on().contains(StaticSpec.FAILED) ? st.data() : null;
  }
}
