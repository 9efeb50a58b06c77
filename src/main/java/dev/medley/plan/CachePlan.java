package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.config.CacheRuleSpec;
import dev.medley.config.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled {@code cache:} rule of a route or a step: lifetimes, the claims a shared entry varies
 * on, and tag templates parsed at load so that rendering a tag per request only fills values in.
 */
public final class CachePlan {
  private final Duration ttl;
  private final Duration staleWhileRevalidate;
  private final Duration staleIfError;
  private final boolean shared;
  private final List<String> varyClaims;
  private final boolean honourUpstreamCacheControl;
  private final TextTemplate[] tags;

  private CachePlan(CacheRuleSpec spec, TextTemplate[] tags) {
    this.ttl = spec.ttl();
    this.staleWhileRevalidate = spec.staleWhileRevalidate();
    this.staleIfError = spec.staleIfError();
    this.shared = spec.shared();
    this.varyClaims = spec.varyClaims();
    this.honourUpstreamCacheControl = "honour".equals(spec.upstreamCacheControl());
    this.tags = tags;
  }

  /**
   * Compiles the tag templates in {@code binder}'s scope; null (with errors reported) if one is
   * bad.
   */
  static CachePlan compile(CacheRuleSpec spec, Binder binder) {
    TextTemplate[] tags = new TextTemplate[spec.tags().size()];
    boolean ok = true;
    for (int i = 0; i < tags.length; i++) {
      Text t = spec.tags().get(i);
      tags[i] = TextTemplate.compile(t, binder);
      ok &= tags[i] != null;
    }
    return ok ? new CachePlan(spec, tags) : null;
  }

  public Duration ttl() {
    return ttl;
  }

  public Duration staleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  public Duration staleIfError() {
    return staleIfError;
  }

  /**
   * True when entries are shared across users (keyed by {@link #varyClaims} instead of the
   * subject).
   */
  public boolean shared() {
    return shared;
  }

  public List<String> varyClaims() {
    return varyClaims;
  }

  /**
   * True when a step's upstream {@code Cache-Control} may shorten the lifetime or forbid storing.
   */
  public boolean honourUpstreamCacheControl() {
    return honourUpstreamCacheControl;
  }

  /**
   * The tags for this request, or null when one cannot be filled (a value is missing or not a
   * scalar): an entry whose tags are unknown could not be invalidated, so it must not be stored.
   */
  public List<String> tags(Scope scope) {
    List<String> out = new ArrayList<>(tags.length);
    for (TextTemplate t : tags) {
      String s = t.strictText(scope);
      if (s == null) {
        return null;
      }
      out.add(s);
    }
    return out;
  }

  /** As {@link #tags(Scope)} for a step, with the upstream's body bound as {@code result}. */
  public List<String> tags(Scope scope, JsonNode result) {
    return tags(scope.withResult(result));
  }
}
