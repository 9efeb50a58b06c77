package dev.medley.config;

import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SourceLocation;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a step's {@code graphql} key and checks it against the rest of the step: the document must
 * parse (graphql-java's parser; a syntax error is located inside the query), hold exactly one query
 * or mutation, and declare exactly the variables given; the step is a POST (to {@code /graphql}
 * unless it names a path) without its own {@code body} or {@code batch}.
 */
final class GraphqlReader {
  private GraphqlReader() {}

  static GraphqlSpec read(YNode n, YNode.Fields step) {
    YNode.Fields f = n.fields("query", "variables", "errors", "batchSize");
    f.required("query");
    String query = f.string("query", "");
    String errors = f.oneOf("errors", "fail", "fail", "ignore");
    int batchSize = f.integer("batchSize", 0, 1, 100);
    List<String> declared = new ArrayList<>();
    List<String> required = new ArrayList<>();
    boolean parsed =
        f.has("query") && check(f.node("query"), query, declared, required, batchSize > 0);
    ValueSpec variables = null;
    YNode vn = f.node("variables");
    Map<String, YNode> given = Map.of();
    if (vn != null) {
      if (!vn.isMap()) {
        vn.error("expected a mapping of variable name to value, e.g. { id: \"{params.id}\" }");
      } else {
        variables = ConfigLoader.value(vn);
        given = vn.entries();
      }
    }
    if (parsed) {
      given.forEach(
          (name, v) -> {
            if (!declared.contains(name)) {
              v.error(
                  "'"
                      + name
                      + "' is not declared by the query (expected one of: "
                      + (declared.isEmpty() ? "none" : "$" + String.join(", $", declared))
                      + ")");
            }
          });
      for (String r : required) {
        if (!given.containsKey(r)) {
          (vn != null ? vn : n)
              .error(
                  "no value for $"
                      + r
                      + ", which the query requires (expected variables: { "
                      + r
                      + ": ... })");
        }
      }
    }
    if (batchSize > 0 && !step.has("forEach")) {
      f.node("batchSize").error("batchSize needs forEach (expected a forEach giving the items)");
    }
    if (step.has("body")) {
      step.node("body").error("a graphql step's body is its query and variables (remove body)");
    }
    if (step.has("batch")) {
      step.node("batch")
          .error("batch with graphql (expected graphql.batchSize to batch items by aliases)");
    }
    if (step.has("method") && !"POST".equals(step.node("method").scalar())) {
      step.node("method").error("a graphql step is a POST (remove method)");
    }
    return new GraphqlSpec(query, variables, errors, batchSize, List.copyOf(declared), n.at());
  }

  /**
   * Parses {@code query}, filling {@code declared} and {@code required} (non-null without a
   * default); false (with the reason reported) when the document cannot be used.
   */
  private static boolean check(
      YNode qn, String query, List<String> declared, List<String> required, boolean batched) {
    Document doc;
    try {
      doc = Parser.parse(query);
    } catch (InvalidSyntaxException e) {
      SourceLocation l = e.getLocation();
      String message = "not a GraphQL document: " + firstLine(e.getMessage());
      if (l != null && l.getLine() == 1 && !qn.rawScalar().contains("\n")) {
        // One line: the error's own column within the YAML line.
        qn.problems().add(qn.textAt().plusColumns(l.getColumn() - 1), qn.path(), message);
      } else {
        qn.error(message);
      }
      return false;
    } catch (RuntimeException e) {
      qn.error("not a GraphQL document: " + firstLine(String.valueOf(e.getMessage())));
      return false;
    }
    List<OperationDefinition> ops = new ArrayList<>();
    boolean fragments = false;
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof OperationDefinition op) {
        ops.add(op);
      } else if (d instanceof FragmentDefinition) {
        fragments = true;
      } else {
        qn.error("the document defines types or directives (expected one query)");
        return false;
      }
    }
    if (ops.size() != 1) {
      qn.error(ops.size() + " operations in the document (expected exactly one query or mutation)");
      return false;
    }
    OperationDefinition op = ops.get(0);
    if (op.getOperation() == OperationDefinition.Operation.SUBSCRIPTION) {
      qn.error("a subscription (expected a query or a mutation: a step takes one answer)");
      return false;
    }
    for (VariableDefinition v : op.getVariableDefinitions()) {
      declared.add(v.getName());
      if (v.getType() instanceof NonNullType && v.getDefaultValue() == null) {
        required.add(v.getName());
      }
    }
    if (batched) {
      if (fragments) {
        qn.error("fragments with batchSize (expected the fields written inline)");
        return false;
      }
      for (Selection<?> s : op.getSelectionSet().getSelections()) {
        if (!(s instanceof Field)) {
          qn.error("a top-level fragment with batchSize (expected fields only at the top level)");
          return false;
        }
      }
    }
    return true;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
