package dev.medley.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The expression language, one table per context: each row is an expression, the data it reads and
 * the exact JSON it gives (or the failure). The data is one step's result, {@code order}.
 */
class ExpressionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDER =
      """
      {"id": 7, "total": 42.5, "zero": 0, "qty": 31, "price": 79.99, "items": [{"sku": "a"}, {"sku": "b"}],
       "reviews": {"count": 4, "average": 4.5}, "shipment": {"carrier": "ups"}, "none": null, "name": "x",
       "big": 9223372036854775807}
      """;

  static String config(String use, String expr) {
    String quoted = "'" + expr.replace("'", "''") + "'";
    String step =
        switch (use) {
          case "when" -> "other: { upstream: u, path: /o, when: " + quoted + " }";
          case "forEach" -> "other: { upstream: u, path: \"/o/{item}\", forEach: " + quoted + " }";
          default -> "";
        };
    String response = use.equals("response") ? "  response: { v: " + quoted + " }\n" : "";
    return """
        version: 1
        upstreams:
          u: { url: "http://127.0.0.1:9101" }
        experiences:
          web:
            routes:
              GET /o/{id}:
                steps:
                  order: { upstream: u, path: "/orders/{id}" }
                  %s
              %s"""
        .formatted(step, response);
  }

  static RoutePlan compile(String use, String expr) {
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(config(use, expr), "t.yaml");
    assertThat(r.errors()).isEmpty();
    PlanCompiler.Result c = PlanCompiler.compile(r.spec(), "v");
    assertThat(c.errors()).isEmpty();
    return c.plan().routes().get(0);
  }

  static List<ConfigError> errors(String use, String expr) {
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(config(use, expr), "t.yaml");
    assertThat(r.errors()).isEmpty();
    return PlanCompiler.compile(r.spec(), "v").errors();
  }

  static Scope scope() throws Exception {
    Scope s = new Scope(Map.of("id", "7"), Map.of(), Map.of(), JSON.createObjectNode(), null, 2);
    s.setStep(0, JSON.readTree(ORDER));
    return s;
  }

  static Expr responseExpr(RoutePlan route) {
    return ((Shape.Eval) ((Shape.Obj) route.response()).shapes()[0]).expr();
  }

  @ParameterizedTest(name = "response: {0} = {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      order.total * 2                               | 85.0
      order.zero * 2                                | 0
      order.qty * order.price                       | 2479.69
      42.5 * 2                                      | 85.0
      31 * 79.99                                    | 2479.69
      order.reviews.count * order.price             | 319.96
      order.reviews.average / 2                     | 2.25
      order.total + 1                               | 43.5
      order.qty - 0.5                               | 30.5
      order.qty / 2                                 | 15
      order.qty < order.price                       | true
      order.qty == 31.0                             | true
      order.missing                                 | null
      order.missing.deeper                          | null
      order.items[5]                                | null
      order.items[1].sku                            | "b"
      order.missing != null                       | false
      has(order.missing)                            | false
      has(order.none)                               | true
      order.shipment == null ? null : {'carrier': order.shipment.carrier} | {"carrier":"ups"}
      order.absent == null ? null : {'carrier': order.absent.carrier}     | null
      order.none != null ? order.none : order.total | 42.5
      order.missing != null ? order.missing : order.total | 42.5
      true                                          | true
      'true'                                      | "true"
      null                                          | null
      order.items.map(i, i.sku)                   | ["a","b"]
      """)
  void responseValues(String expr, String expected) throws Exception {
    JsonNode v = responseExpr(compile("response", expr)).eval(scope());
    assertThat(v == null ? "null" : v.toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "response fails: {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      order.missing * 2         | t.yaml:11:39 (experiences.web.routes["GET /o/{id}"].response.v): '*' does not apply to these values (is one of them null, or a string where a number belongs?)
      order.total / 0           | t.yaml:11:25 (experiences.web.routes["GET /o/{id}"].response.v): division by zero
      order.qty / 0             | t.yaml:11:35 (experiences.web.routes["GET /o/{id}"].response.v): / by zero
      order.big + 1             | t.yaml:11:35 (experiences.web.routes["GET /o/{id}"].response.v): long overflow
      order.total / 0.0         | t.yaml:11:25 (experiences.web.routes["GET /o/{id}"].response.v): the result is not a JSON number (a division by zero?)
      order.name.first          | t.yaml:11:25 (experiences.web.routes["GET /o/{id}"].response.v): field 'first' of a string (only objects have fields)
      order.name.first + 'x'    | t.yaml:11:25 (experiences.web.routes["GET /o/{id}"].response.v): field 'first' of a string (only objects have fields)
      """)
  void responseFailures(String expr, String message) {
    Expr e = responseExpr(compile("response", expr));
    assertThatThrownBy(() -> e.eval(scope()))
        .isInstanceOf(Expr.ExprException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      when     | 'yes'                   | t.yaml:10:50: experiences.web.routes["GET /o/{id}"].steps.other.when: when must give true or false, but "'yes'" gives a string; a quoted word is text, not a condition: compare it, e.g. product.status == 'yes'
      when     | size(order.items)       | t.yaml:10:50: experiences.web.routes["GET /o/{id}"].steps.other.when: when must give true or false, but "size(order.items)" gives a number; compare the number, e.g. size(order.items) > 0
      when     | yes                     | t.yaml:10:50: experiences.web.routes["GET /o/{id}"].steps.other.when: 'yes' is not a boolean here: Medley reads YAML 1.2, where only true and false are booleans (write true, or "'yes'" for the text)
      when     | order.total >           | t.yaml:10:63: experiences.web.routes["GET /o/{id}"].steps.other.when: expression 'order.total >': syntax error: the expression ends where a value is expected
      forEach  | order.total + 1         | t.yaml:10:62: experiences.web.routes["GET /o/{id}"].steps.other.forEach: forEach must give a list, but "order.total + 1" gives a number
      forEach  | 5                       | t.yaml:10:62: experiences.web.routes["GET /o/{id}"].steps.other.forEach: forEach must give a list, but "5" gives a number
      response | /web/orders/{order.id}  | t.yaml:11:25: experiences.web.routes["GET /o/{id}"].response.v: '/web/orders/{order.id}' is a {template}, but response values are expressions (CEL); write it as "'/web/orders/' + string(order.id)"
      response | {order.id}              | t.yaml:11:25: experiences.web.routes["GET /o/{id}"].response.v: '{order.id}' is a {template}, but response values are expressions (CEL); write it as "order.id"
      response | 2024-01-01              | t.yaml:11:25: experiences.web.routes["GET /o/{id}"].response.v: '2024-01-01' would be computed as a subtraction; an expression's text is quoted as CEL inside the YAML string (write "'2024-01-01'")
      response | ordr.total * 2          | t.yaml:11:25: experiences.web.routes["GET /o/{id}"].response.v: unknown reference 'ordr' (did you mean 'order'?) (expected one of: id, params, query, headers, claims, body, order)
      response | 1 == 1.0                | t.yaml:11:27: experiences.web.routes["GET /o/{id}"].response.v: expression '1 == 1.0': found no matching overload for '_==_' applied to '(int, double)' (candidates: (%A0, %A0)) (write both numbers the same way, e.g. 1.0 == 1.0)
      """)
  void loadErrors(String use, String expr, String message) {
    assertThat(errors(use, expr)).extracting(ConfigError::format).containsExactly(message);
  }

  /**
   * A route whose parameters are declared with types; {@code expr} is the response field {@code v}.
   */
  static String typedConfig(String expr) {
    String quoted = "'" + expr.replace("'", "''") + "'";
    return """
        version: 1
        upstreams:
          u: { url: "http://127.0.0.1:9101" }
        experiences:
          web:
            routes:
              GET /o/{id}/{price}/{flag}/{name}:
                params: { id: { type: integer }, price: { type: number }, flag: { type: boolean }, name: { type: string } }
                query: { page: { type: integer, default: 1 }, size: { type: integer } }
                steps:
                  order: { upstream: u, path: "/orders/{id}", query: { p: "{price}", f: "{flag}", page: "{query.page}" } }
                response: { v: %s }
        """
        .formatted(quoted);
  }

  static PlanCompiler.Result compileTyped(String expr) {
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(typedConfig(expr), "t.yaml");
    assertThat(r.errors()).isEmpty();
    return PlanCompiler.compile(r.spec(), "v");
  }

  /** The client's text, as the engine passes it after the 400 checks. */
  static Scope typedScope(Map<String, String> query) {
    return new Scope(
        Map.of("id", "05", "price", "2.5", "flag", "true", "name", "7"),
        query,
        Map.of(),
        JSON.createObjectNode(),
        null,
        1);
  }

  @ParameterizedTest(name = "typed: {0} = {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      params.id                          | 5
      params.id * 2                      | 10
      id                                 | 5
      params.id == 5                     | true
      params.id + params.price           | 7.5
      params.price                       | 2.5
      params.price * 2                   | 5.0
      params.flag                        | true
      params.flag && params.id > 4       | true
      !params.flag                       | false
      params.name                        | "7"
      params.name + 'x'                  | "7x"
      size(params.name)                  | 1
      params['id'] + 1                   | 6
      query.page * 10                    | 30
      query.size                         | 4
      query.size != null ? query.size : 20 | 4
      query.size * 2                     | 8
      params.id != null ? params.id : 0  | 5
      params.id * 1.5                    | 7.5
      """)
  void typedParameters(String expr, String expected) {
    PlanCompiler.Result c = compileTyped(expr);
    assertThat(c.errors()).isEmpty();
    JsonNode v =
        responseExpr(c.plan().routes().get(0)).eval(typedScope(Map.of("page", "3", "size", "4")));
    assertThat(v == null ? "null" : v.toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "typed, absent query: {0} = {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      query.size                           | null
      query.size != null ? query.size : 20 | 20
      query.size == null                   | true
      """)
  void optionalTypedQueryMayBeAbsent(String expr, String expected) {
    PlanCompiler.Result c = compileTyped(expr);
    assertThat(c.errors()).isEmpty();
    JsonNode v = responseExpr(c.plan().routes().get(0)).eval(typedScope(Map.of("page", "1")));
    assertThat(v == null ? "null" : v.toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "typed load error: {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      size(params.id)        | t.yaml:12:29: experiences.web.routes["GET /o/{id}/{price}/{flag}/{name}"].response.v: expression 'size(params.id)': found no matching overload for 'size' applied to '(int)' (params.id is declared type: integer)
      params.flag + 1        | t.yaml:12:37: experiences.web.routes["GET /o/{id}/{price}/{flag}/{name}"].response.v: expression 'params.flag + 1': found no matching overload for '_+_' applied to '(bool, int)' (params.flag is declared type: boolean)
      params.id == 'x'       | t.yaml:12:35: experiences.web.routes["GET /o/{id}/{price}/{flag}/{name}"].response.v: expression 'params.id == 'x'': found no matching overload for '_==_' applied to '(int, string)' (params.id is declared type: integer)
      """)
  void typedParametersAreCheckedAtLoad(String expr, String message) {
    assertThat(compileTyped(expr).errors())
        .extracting(ConfigError::format)
        .containsExactly(message);
  }

  @org.junit.jupiter.api.Test
  void templatesKeepTheClientsText() {
    RoutePlan route = compileTyped("params.id").plan().routes().get(0);
    // The path renders "05" and "2.5" as sent, though expressions read 5 and 2.5.
    assertThat(route.steps()[0].render(typedScope(Map.of("page", "03"))).pathAndQuery())
        .isEqualTo("/orders/05?p=2.5&f=true&page=03");
  }

  @org.junit.jupiter.api.Test
  void aDefaultMustBeOfTheDeclaredType() {
    String yaml = typedConfig("query.page").replace("default: 1", "default: first");
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml");
    assertThat(r.errors()).isEmpty();
    assertThat(PlanCompiler.compile(r.spec(), "v").errors())
        .extracting(ConfigError::format)
        .containsExactly(
            "t.yaml:9:24: experiences.web.routes[\"GET /o/{id}/{price}/{flag}/{name}\"].query.page.default: default 'first' is not an integer");
  }
}
