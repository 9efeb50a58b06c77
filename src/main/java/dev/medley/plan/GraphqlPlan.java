package dev.medley.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.GraphqlSpec;
import graphql.language.AstPrinter;
import graphql.language.AstTransformer;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.Node;
import graphql.language.NodeVisitorStub;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.util.TreeTransformerUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled {@code graphql} step: how its answer is read ({@code data}, and what {@code errors}
 * do), and for {@code batchSize}, the aliased query of every chunk size, built once at load. In a
 * batched query item {@code i}'s variables are renamed {@code $name_i} and its top-level fields
 * aliased {@code item<i>} (or {@code item<i>_<field>} when the query has several), so one query
 * asks for many items of an upstream that has no list field; each item's result is rebuilt in the
 * shape a single query gives, so {@code select} reads both alike.
 */
public final class GraphqlPlan {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean ignoreErrors;
  private final int batchSize;
  private final ValueTemplate variables;

  /** By chunk size: the aliased query document; index 0 unused. */
  private final String[] batchQueries;

  /** The response names (alias or name) of the query's top-level fields. */
  private final String[] fields;

  private GraphqlPlan(
      boolean ignoreErrors,
      int batchSize,
      ValueTemplate variables,
      String[] batchQueries,
      String[] fields) {
    this.ignoreErrors = ignoreErrors;
    this.batchSize = batchSize;
    this.variables = variables;
    this.batchQueries = batchQueries;
    this.fields = fields;
  }

  /**
   * Compiles {@code g}; {@code body} is the step's compiled body ({@code {"query", "variables"}}),
   * whose variables template a batch renders per item.
   */
  static GraphqlPlan compile(GraphqlSpec g, ValueTemplate body) {
    if (g.batchSize() == 0) {
      return new GraphqlPlan(g.errors().equals("ignore"), 0, null, null, null);
    }
    ValueTemplate vars = body instanceof ValueTemplate.Obj o ? o.fields().get("variables") : null;
    OperationDefinition op = (OperationDefinition) Parser.parse(g.query()).getDefinitions().get(0);
    List<Field> top = new ArrayList<>();
    op.getSelectionSet().getSelections().forEach(s -> top.add((Field) s));
    String[] names =
        top.stream()
            .map(f -> f.getAlias() != null ? f.getAlias() : f.getName())
            .toArray(String[]::new);
    String[] queries = new String[g.batchSize() + 1];
    for (int n = 1; n <= g.batchSize(); n++) {
      List<VariableDefinition> defs = new ArrayList<>();
      List<Selection> selections = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String suffix = "_" + i;
        for (VariableDefinition v : op.getVariableDefinitions()) {
          defs.add(v.transform(b -> b.name(v.getName() + suffix)));
        }
        for (int k = 0; k < top.size(); k++) {
          Field renamed = (Field) renameVariables(top.get(k), suffix);
          String alias = alias(i, names.length == 1 ? null : names[k]);
          selections.add(renamed.transform(b -> b.alias(alias)));
        }
      }
      OperationDefinition batched =
          op.transform(b -> b.variableDefinitions(defs).selectionSet(new SelectionSet(selections)));
      queries[n] = AstPrinter.printAstCompact(Document.newDocument().definition(batched).build());
    }
    return new GraphqlPlan(g.errors().equals("ignore"), g.batchSize(), vars, queries, names);
  }

  private static String alias(int item, String field) {
    return field == null ? "item" + item : "item" + item + "_" + field;
  }

  private static Node<?> renameVariables(Node<?> node, String suffix) {
    return new AstTransformer()
        .transform(
            node,
            new NodeVisitorStub() {
              @Override
              public TraversalControl visitVariableReference(
                  VariableReference ref, TraverserContext<Node> context) {
                return TreeTransformerUtil.changeNode(
                    context, ref.transform(b -> b.name(ref.getName() + suffix)));
              }
            });
  }

  /** True to keep {@code data} when the answer also has {@code errors}. */
  public boolean ignoreErrors() {
    return ignoreErrors;
  }

  /** Most items per query, or 0 when each item gets its own query. */
  public int batchSize() {
    return batchSize;
  }

  /** The aliased query document for {@code n} items (1 to {@link #batchSize}). */
  public String batchQuery(int n) {
    return batchQueries[n];
  }

  /**
   * The body of one batched query: each item's variables renamed after its place in the chunk;
   * {@code first} is the chunk's first item's index in the whole list.
   */
  public byte[] batchBody(ArrayNode chunk, int first, Scope scope) {
    ObjectNode vars = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < chunk.size(); i++) {
      if (variables == null) {
        break;
      }
      JsonNode rendered = variables.render(scope.withItem(chunk.get(i), first + i));
      String suffix = "_" + i;
      rendered.properties().forEach(e -> vars.set(e.getKey() + suffix, e.getValue()));
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("query", batchQueries[chunk.size()]);
    body.set("variables", vars);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * Item {@code i}'s result from a batched answer's {@code data}, shaped as a single query's {@code
   * data} would be: each top-level field under its own name.
   */
  public JsonNode itemResult(JsonNode data, int i) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String f : fields) {
      JsonNode v = data.get(alias(i, fields.length == 1 ? null : f));
      out.set(f, v == null ? NullNode.getInstance() : v);
    }
    return out;
  }
}
