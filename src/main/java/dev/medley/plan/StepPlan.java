package dev.medley.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled step: templates parsed, expressions compiled, dependencies resolved to indexes. {@link
 * #render} turns it into a concrete {@link StepCall} for one request.
 */
public final class StepPlan {
  private static final ObjectMapper JSON = new ObjectMapper();

  final int index;
  final String name;
  final String upstream;
  final String method;
  final PathTemplate path;
  final String[] queryNames;
  final TextTemplate[] queryValues;
  final boolean skipEmptyQuery;
  final String[] headerNames;
  final TextTemplate[] headerValues;
  final ValueTemplate body;
  final Expr when;
  final Expr forEach;
  final int concurrency;
  final BatchPlan batch;
  final Expr select;
  final String merge;
  final boolean optional;
  final JsonNode fallback;
  final Duration timeout;
  final CachePlan cache;
  final ShadowPlan shadow;
  final int[] deps;
  final GraphqlPlan graphql;
  final dev.medley.config.BodyUse bodyUse;

  StepPlan(
      int index,
      String name,
      String upstream,
      String method,
      PathTemplate path,
      String[] queryNames,
      TextTemplate[] queryValues,
      boolean skipEmptyQuery,
      String[] headerNames,
      TextTemplate[] headerValues,
      ValueTemplate body,
      Expr when,
      Expr forEach,
      int concurrency,
      BatchPlan batch,
      Expr select,
      String merge,
      boolean optional,
      JsonNode fallback,
      Duration timeout,
      CachePlan cache,
      ShadowPlan shadow,
      int[] deps,
      GraphqlPlan graphql,
      dev.medley.config.BodyUse bodyUse) {
    this.index = index;
    this.name = name;
    this.upstream = upstream;
    this.method = method;
    this.path = path;
    this.queryNames = queryNames;
    this.queryValues = queryValues;
    this.skipEmptyQuery = skipEmptyQuery;
    this.headerNames = headerNames;
    this.headerValues = headerValues;
    this.body = body;
    this.when = when;
    this.forEach = forEach;
    this.concurrency = concurrency;
    this.batch = batch;
    this.select = select;
    this.merge = merge;
    this.optional = optional;
    this.fallback = fallback;
    this.timeout = timeout;
    this.cache = cache;
    this.shadow = shadow;
    this.deps = deps;
    this.graphql = graphql;
    this.bodyUse = bodyUse;
  }

  /** How a graphql step's answer is read and its items batched; null for a plain call. */
  public GraphqlPlan graphql() {
    return graphql;
  }

  /** Whether the step forwards the client's body and how it reads the upstream's answer. */
  public dev.medley.config.BodyUse bodyUse() {
    return bodyUse;
  }

  public int index() {
    return index;
  }

  public String name() {
    return name;
  }

  public String upstream() {
    return upstream;
  }

  public String method() {
    return method;
  }

  public Expr when() {
    return when;
  }

  public Expr forEach() {
    return forEach;
  }

  public int concurrency() {
    return concurrency;
  }

  public BatchPlan batch() {
    return batch;
  }

  public Expr select() {
    return select;
  }

  /**
   * forEach only: null keeps results as they are; empty merges each result's fields into its item;
   * a name puts each result into its item under that key.
   */
  public String merge() {
    return merge;
  }

  public boolean optional() {
    return optional;
  }

  public JsonNode fallback() {
    return fallback;
  }

  /** The step's own per-call timeout, or null to use the upstream's. */
  public Duration timeout() {
    return timeout;
  }

  /** How this step's upstream answers are cached, or null. */
  public CachePlan cache() {
    return cache;
  }

  /** Non-null for a shadow step: sent, never awaited, its result invisible. */
  public ShadowPlan shadow() {
    return shadow;
  }

  /** Indexes of the steps this one waits for. */
  public int[] deps() {
    return deps.clone();
  }

  /** The single upstream request of a plain (or per-item) step. */
  public StepCall render(Scope s) {
    return new StepCall(
        method, path.expand(s) + query(s), headers(s), body == null ? null : bytes(body.render(s)));
  }

  /** This step's request with another body: a graphql batch's aliased query. */
  public StepCall renderWithBody(Scope s, byte[] body) {
    return new StepCall(method, path.expand(s) + query(s), headers(s), body);
  }

  /** The request for one batch chunk; {@code s} has {@code items} bound. */
  public StepCall renderBatch(Scope s) {
    String q = query(s);
    if (batch.queryNames().length > 0) {
      StringBuilder sb = new StringBuilder(q);
      appendQuery(sb, batch.queryNames(), batch.queryValues(), s);
      q = sb.toString();
    }
    return new StepCall(
        batch.method(),
        batch.path().expand(s) + q,
        headers(s),
        batch.body() == null ? null : bytes(batch.body().render(s)));
  }

  private String query(Scope s) {
    if (queryNames.length == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    appendQuery(sb, queryNames, queryValues, s);
    return sb.toString();
  }

  /**
   * Appends {@code names} filled from {@code values}. An absent value leaves its parameter out; a
   * template that is exactly one reference to a list sends one parameter per element ({@code
   * id=1&id=2}, none for an empty list); with {@code skipEmptyQuery}, empty text is left out too.
   */
  private void appendQuery(StringBuilder sb, String[] names, TextTemplate[] values, Scope s) {
    for (int i = 0; i < names.length; i++) {
      TextTemplate t = values[i];
      if (t.single()) {
        JsonNode v = t.value(s);
        if (v == null || v.isNull()) {
          continue; // an absent optional value leaves the parameter out
        }
        if (v.isArray()) {
          for (JsonNode e : v) {
            if (!e.isNull()) {
              param(sb, names[i], TextTemplate.asText(e));
            }
          }
          continue;
        }
        param(sb, names[i], TextTemplate.asText(v));
      } else {
        param(sb, names[i], t.text(s));
      }
    }
  }

  private void param(StringBuilder sb, String name, String value) {
    if (skipEmptyQuery && value.isEmpty()) {
      return;
    }
    sb.append(sb.isEmpty() ? '?' : '&')
        .append(Encoding.component(name))
        .append('=')
        .append(Encoding.component(value));
  }

  private List<Map.Entry<String, String>> headers(Scope s) {
    if (headerNames.length == 0) {
      return List.of();
    }
    List<Map.Entry<String, String>> out = new ArrayList<>(headerNames.length);
    for (int i = 0; i < headerNames.length; i++) {
      String v = headerValues[i].text(s);
      if (v == null) {
        continue;
      }
      if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
        throw new TemplateException(
            "header " + headerNames[i] + " would contain a line break", true);
      }
      out.add(new AbstractMap.SimpleImmutableEntry<>(headerNames[i], v));
    }
    return out;
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
