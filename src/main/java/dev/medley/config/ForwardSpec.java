package dev.medley.config;

import java.util.List;

/**
 * Which of the client's own headers and query parameters a step's upstream calls carry, beyond what
 * its templates send. Written on an experience, a route or a step; for each of {@code headers} and
 * {@code query} the nearest one that sets it wins. Nothing is forwarded unless asked for.
 *
 * @param headers the client headers to forward, or null to inherit (nothing when nobody sets it)
 * @param query the client query parameters to forward, or null to inherit
 * @param at where it was declared
 */
public record ForwardSpec(NameRule headers, NameRule query, Src at) {

  /**
   * An allow-list, or "all except" a list. Names are exact (headers compared ignoring case) or
   * prefixes ending in {@code *}, e.g. {@code X-Client-*}. A header of {@link HeaderNames} that is
   * passed only when named is never let through by a prefix or by "all except".
   *
   * @param names the names listed under {@code allow} or {@code except}
   * @param except true for "everything except {@code names}"
   * @param at where it was declared
   */
  public record NameRule(List<String> names, boolean except, Src at) {}
}
