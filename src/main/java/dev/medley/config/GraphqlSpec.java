package dev.medley.config;

import java.util.List;

/**
 * A step that calls a GraphQL upstream: the query document (checked by graphql-java's parser at
 * load) POSTed with its variables as {@code {"query": ..., "variables": ...}}; the answer's {@code
 * data} is the step's result.
 *
 * @param query the query document, as written
 * @param variables the variables: a mapping with templates in its strings, or null for none
 * @param errors {@code fail} (the default: an answer with {@code errors} fails the step, so an
 *     optional step falls back) or {@code ignore} (keep {@code data}, even partial, when it is not
 *     null)
 * @param batchSize for a forEach step: most items sent in one query, each under an alias ({@code
 *     item0: price(id: $id0) ...}); 0 (the default) sends one query per item
 * @param declared the variables the query declares, in order
 * @param at where {@code graphql} was declared
 */
public record GraphqlSpec(
    String query,
    ValueSpec variables,
    String errors,
    int batchSize,
    List<String> declared,
    Src at) {

  /** The request body of one query: the document as a literal string, variables as templates. */
  public ValueSpec body() {
    java.util.Map<String, ValueSpec> fields = new java.util.LinkedHashMap<>();
    fields.put(
        "query",
        new ValueSpec.Literal(new com.fasterxml.jackson.databind.node.TextNode(query), at));
    fields.put(
        "variables",
        variables != null
            ? variables
            : new ValueSpec.Literal(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), at));
    return new ValueSpec.Obj(java.util.Collections.unmodifiableMap(fields), at);
  }
}
