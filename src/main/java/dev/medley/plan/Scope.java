package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one request's templates and expressions can read: request inputs and the results of
 * steps so far (by step index). Created by the engine per request; forEach calls get a child with
 * the item bound.
 */
public final class Scope {
  final Map<String, String> params;
  final Map<String, String> query;

  /** Values of repeated query parameters, by name; empty for routes that declare none. */
  final Map<String, List<String>> queryLists;

  final Map<String, String> headers;
  final JsonNode claims;
  final JsonNode body;
  final JsonNode[] steps;
  final Object[] celValues;
  final JsonNode item;
  final JsonNode items;
  final JsonNode result;

  /** The position of {@link #item} in its forEach list; -1 outside a forEach item. */
  final int index;

  /**
   * Elements bound by a response shape's {@code $each}, by nesting depth; null until a shape that
   * uses one renders (shapes without {@code $each} never allocate it).
   */
  private JsonNode[] locals;

  /** Response fields that could not be evaluated, in render order; null while there are none. */
  private List<FieldFailure> failures;

  /**
   * A response field whose expression failed for this request: the field's path in the response
   * ({@code price.total}), the expression's config location and what went wrong (for logs only).
   */
  public record FieldFailure(String field, String where, String detail) {}

  public Scope(
      Map<String, String> params,
      Map<String, String> query,
      Map<String, String> headers,
      JsonNode claims,
      JsonNode body,
      int stepCount) {
    this(params, query, Map.of(), headers, claims, body, stepCount);
  }

  /** A scope whose route declares repeated query parameters: their values by name. */
  public Scope(
      Map<String, String> params,
      Map<String, String> query,
      Map<String, List<String>> queryLists,
      Map<String, String> headers,
      JsonNode claims,
      JsonNode body,
      int stepCount) {
    this(
        params,
        query,
        queryLists,
        headers,
        claims,
        body,
        new JsonNode[stepCount],
        new Object[stepCount],
        null,
        -1,
        null,
        null);
  }

  private Scope(
      Map<String, String> params,
      Map<String, String> query,
      Map<String, List<String>> queryLists,
      Map<String, String> headers,
      JsonNode claims,
      JsonNode body,
      JsonNode[] steps,
      Object[] celValues,
      JsonNode item,
      int index,
      JsonNode items,
      JsonNode result) {
    this.params = params;
    this.query = query;
    this.queryLists = queryLists;
    this.index = index;
    this.headers = headers;
    this.claims = claims;
    this.body = body;
    this.steps = steps;
    this.celValues = celValues;
    this.item = item;
    this.items = items;
    this.result = result;
  }

  /** Records a step's result; later steps and the response see it. */
  public void setStep(int index, JsonNode value) {
    steps[index] = value;
    celValues[index] = null;
  }

  /** Records a response field that failed; the answer is then marked partial and names it. */
  void fieldFailed(String field, Expr.ExprException e) {
    if (failures == null) {
      failures = new ArrayList<>(2);
    }
    for (FieldFailure f : failures) {
      if (f.field().equals(field)) {
        return; // a field under $each fails once per element; it is named once
      }
    }
    failures.add(new FieldFailure(field, e.where(), e.detail()));
  }

  /** The element bound to local {@code slot}, or null. */
  JsonNode local(int slot) {
    return locals == null || slot >= locals.length ? null : locals[slot];
  }

  /** Binds local {@code slot} for the shapes rendered next (one request renders on one thread). */
  void setLocal(int slot, JsonNode value) {
    if (locals == null || slot >= locals.length) {
      locals = java.util.Arrays.copyOf(locals == null ? new JsonNode[0] : locals, slot + 4);
    }
    locals[slot] = value;
  }

  /** The response fields that failed while rendering, in order; empty when none did. */
  public List<FieldFailure> failures() {
    return failures == null ? List.of() : failures;
  }

  /** The request's verified claims (an empty object for an anonymous request). */
  public JsonNode claims() {
    return claims;
  }

  public JsonNode step(int index) {
    return steps[index];
  }

  /** A view with the forEach item bound (shares step results); its index is unknown. */
  public Scope withItem(JsonNode value) {
    return withItem(value, -1);
  }

  /** A view with the forEach item at {@code position} of its list bound (shares step results). */
  public Scope withItem(JsonNode value, int position) {
    return new Scope(
        params,
        query,
        queryLists,
        headers,
        claims,
        body,
        steps,
        celValues,
        value,
        position,
        items,
        result);
  }

  /** A view with the current batch chunk bound. */
  public Scope withItems(JsonNode chunk) {
    return new Scope(
        params,
        query,
        queryLists,
        headers,
        claims,
        body,
        steps,
        celValues,
        item,
        index,
        chunk,
        result);
  }

  /** A view with an upstream body bound as {@code result}, for a step's select. */
  public Scope withResult(JsonNode value) {
    return new Scope(
        params,
        query,
        queryLists,
        headers,
        claims,
        body,
        steps,
        celValues,
        item,
        index,
        items,
        value);
  }
}
