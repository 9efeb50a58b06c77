package dev.medley.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Fixed JSON members merged into a route's answers (KrakenD's {@code static} proxy).
 *
 * @param data the members; strings are literal text, not expressions
 * @param on which answers get them: any of {@code complete} (a 200 with nothing degraded), {@code
 *     partial} (a 200 with {@code _partial}) and {@code failed} (a problem+json answer of a route
 *     that ran, as extension members); {@code always} means all three and is the default
 * @param at where it was declared
 */
public record StaticSpec(ObjectNode data, Set<String> on, Src at) {
  public static final String COMPLETE = "complete";
  public static final String PARTIAL = "partial";
  public static final String FAILED = "failed";
}
