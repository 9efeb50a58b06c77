package dev.medley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.medley.json.Json;
import dev.medley.plan.Expr;
import dev.medley.plan.Plan;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import dev.medley.plan.Shape;
import dev.medley.plan.StepCall;
import dev.medley.plan.StepPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU work of one product page apart from the network: expanding the step templates, evaluating
 * expressions (the plain-path fast path and CEL), shaping the response and JSON in and out. Short
 * by default (see bench/jmh/run.sh to run longer).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RequestPathBench {
  private RoutePlan page;
  private Scope pageScope;
  private StepPlan productStep;
  private StepPlan batchStep;
  private Scope batchScope;
  private Scope mobileScope;
  private int mobileProduct;
  private JsonNode product;
  private Expr pathExpr;
  private Expr defaultExpr;
  private Expr celExpr;
  private RoutePlan mobile;
  private byte[] productBytes;
  private JsonNode pageBody;

  @Setup
  public void setUp() {
    Plan plan = Fixture.plan(Map.of());
    page = Fixture.route(plan, "/web/products/{id}");
    pageScope = Fixture.answered(page);
    productStep = page.step("product");
    RoutePlan lists = Fixture.route(plan, "/web/lists/{id}");
    batchStep = lists.step("entries");
    ArrayNode chunk = (ArrayNode) Fixture.answered(lists).step(lists.step("list").index()).get("ids");
    batchScope = Fixture.answered(lists).withItems(chunk);
    mobile = Fixture.route(plan, "/mobile/products/{id}");
    mobileScope = Fixture.answered(mobile);
    mobileProduct = mobile.step("product").index();
    product = mobileScope.step(mobileProduct);
    Shape.Obj shape = (Shape.Obj) mobile.response();
    pathExpr = ((Shape.Eval) shape.shapes()[Arrays.asList(shape.names()).indexOf("image")]).expr();
    defaultExpr = ((Shape.Eval) shape.shapes()[Arrays.asList(shape.names()).indexOf("price")]).expr();
    // The same expression, parenthesised so that it is not recognised as a value-or-default and
    // runs through CEL's interpreter.
    Plan cel = Fixture.plan(Map.of("\"product.salePrice != null ?", "\"(product.salePrice != null) ?"));
    Shape.Obj celShape = (Shape.Obj) Fixture.route(cel, "/mobile/products/{id}").response();
    celExpr = ((Shape.Eval) celShape.shapes()[Arrays.asList(celShape.names()).indexOf("price")]).expr();
    productBytes = Fixture.PRODUCT.getBytes(StandardCharsets.UTF_8);
    pageBody = page.response().render(pageScope);
  }

  /** {@code /products/{id}}: RFC 6570 expansion with percent-encoding. */
  @Benchmark
  public StepCall templatePath() {
    return productStep.render(pageScope);
  }

  /** The batch call's JSON body {@code {ids: "{items}"}} for a chunk of 20 ids. */
  @Benchmark
  public StepCall templateBatchBody() {
    return batchStep.renderBatch(batchScope);
  }

  /** {@code product.images[0].thumbnail}: a plain path, resolved without CEL. */
  @Benchmark
  public JsonNode exprPath() {
    return pathExpr.eval(mobileScope);
  }

  /** {@code product.salePrice != null ? product.salePrice : product.basePrice}: value or default, no CEL. */
  @Benchmark
  public JsonNode exprDefault() {
    return defaultExpr.eval(mobileScope);
  }

  /**
   * {@code (product.salePrice != null) ? product.salePrice : product.basePrice} through CEL, including
   * the per-request conversion of the product into CEL values (reset by setStep, as a new request).
   */
  @Benchmark
  public JsonNode exprCel() {
    mobileScope.setStep(mobileProduct, product);
    return celExpr.eval(mobileScope);
  }

  /** The same expression when the product's CEL form is already built (a second expression on it). */
  @Benchmark
  public JsonNode exprCelConverted() {
    return celExpr.eval(mobileScope);
  }

  /** The web product page shape (ten fields from four steps). */
  @Benchmark
  public JsonNode shapePage() {
    return page.response().render(pageScope);
  }

  /** The mobile shape (its price is a value-or-default, its other fields plain paths). */
  @Benchmark
  public JsonNode shapeMobile() {
    mobileScope.setStep(mobileProduct, product);
    return mobile.response().render(mobileScope);
  }

  /** Parsing the ~600-byte product body into a tree. */
  @Benchmark
  public JsonNode jsonDecodeProduct() throws IOException {
    return Json.parse(productBytes);
  }

  /** Writing the composed page (~700 bytes). */
  @Benchmark
  public byte[] jsonEncodePage() {
    return Json.bytes(pageBody);
  }
}
