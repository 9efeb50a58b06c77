package dev.medley.plan;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelMutableAst;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.common.ast.CelMutableExpr;
import dev.cel.common.ast.CelMutableExpr.CelMutableCall;
import dev.cel.common.ast.CelMutableExpr.CelMutableIdent;
import dev.cel.common.navigation.CelNavigableMutableAst;
import dev.cel.common.navigation.CelNavigableMutableExpr;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Medley's dialect of CEL: JSON semantics on top of the standard language. Three things differ,
 * each because a JSON user expects it (docs/config.md, "Expressions"):
 *
 * <ul>
 *   <li>numbers: integers and decimals mix in {@code + - * /} and comparisons ({@code 42.5 * 2} is
 *       {@code 85.0}); JSON does not say whether {@code 2} is an int or a double, so neither may
 *       we;
 *   <li>absent fields: {@code a.b} and {@code a[i]} give {@code null} when the key is absent, the
 *       index is past the end or {@code a} is null, as a plain path does ({@code has()} still tells
 *       absent from null);
 *   <li>a conditional with a {@code null} branch type-checks ({@code s == null ? null : {'c':
 *       s.c}}).
 * </ul>
 *
 * The last two are done by rewriting the parsed tree before the type check: field selections and
 * indexing become calls of {@code _medley_field} and {@code _medley_index}, and the non-null branch
 * of such a conditional is wrapped in {@code dyn()}. Node ids are kept, so error positions still
 * point at the source text.
 */
final class CelEnv {
  static final String FIELD = "_medley_field";
  static final String INDEX = "_medley_index";

  static final CelOptions OPTIONS =
      CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

  private static final List<CelFunctionDecl> DECLS =
      List.of(
          CelFunctionDecl.newFunctionDeclaration(
              FIELD,
              CelOverloadDecl.newGlobalOverload(
                  "medley_field", SimpleType.DYN, SimpleType.DYN, SimpleType.STRING)),
          CelFunctionDecl.newFunctionDeclaration(
              INDEX,
              CelOverloadDecl.newGlobalOverload(
                  "medley_index", SimpleType.DYN, SimpleType.DYN, SimpleType.DYN)),
          mixed("_+_", "add"),
          mixed("_-_", "subtract"),
          mixed("_*_", "multiply"),
          mixed("_/_", "divide"));

  static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .setOptions(OPTIONS)
          .addFunctionBindings(
              CelFunctionBinding.from("medley_field", Object.class, String.class, CelEnv::field),
              CelFunctionBinding.from("medley_index", Object.class, Object.class, CelEnv::index),
              CelFunctionBinding.from("add_int_double", Long.class, Double.class, (a, b) -> a + b),
              CelFunctionBinding.from("add_double_int", Double.class, Long.class, (a, b) -> a + b),
              CelFunctionBinding.from(
                  "subtract_int_double", Long.class, Double.class, (a, b) -> a - b),
              CelFunctionBinding.from(
                  "subtract_double_int", Double.class, Long.class, (a, b) -> a - b),
              CelFunctionBinding.from(
                  "multiply_int_double", Long.class, Double.class, (a, b) -> a * b),
              CelFunctionBinding.from(
                  "multiply_double_int", Double.class, Long.class, (a, b) -> a * b),
              CelFunctionBinding.from(
                  "divide_int_double", Long.class, Double.class, (a, b) -> divide(a, b)),
              CelFunctionBinding.from(
                  "divide_double_int", Double.class, Long.class, (a, b) -> divide(a, b)))
          .build();

  private CelEnv() {}

  private static CelFunctionDecl mixed(String fn, String name) {
    return CelFunctionDecl.newFunctionDeclaration(
        fn,
        CelOverloadDecl.newGlobalOverload(
            name + "_int_double", SimpleType.DOUBLE, SimpleType.INT, SimpleType.DOUBLE),
        CelOverloadDecl.newGlobalOverload(
            name + "_double_int", SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.INT));
  }

  /** A compiler that knows {@code roots} as variables of any type. */
  static dev.cel.compiler.CelCompiler compiler(List<String> roots) {
    return compiler(roots, Map.of());
  }

  /**
   * A compiler that also knows declared parameter types: {@code typed} maps "params.NAME" /
   * "query.NAME" to {@code integer}, {@code number} or {@code boolean}; {@link #rewrite} turns
   * those selections into variables of that name, so the checker types them (int, double, bool, or
   * null: an optional query parameter may be absent).
   */
  static dev.cel.compiler.CelCompiler compiler(List<String> roots, Map<String, String> typed) {
    CelCompilerBuilder b =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addFunctionDeclarations(DECLS);
    for (String r : roots) {
      b.addVar(r, SimpleType.DYN);
    }
    // Nullable: an optional query parameter may be absent, and "params.id != null" stays valid.
    typed.forEach((name, type) -> b.addVar(name, celType(type)));
    return b.build();
  }

  /**
   * The checker's type of a declared parameter: nullable scalars (an optional query parameter may
   * be absent), and for a repeated one ({@code integer[]}) a list, never null (absent is empty).
   */
  private static dev.cel.common.types.CelType celType(String type) {
    if (type.endsWith("[]")) {
      String element = type.substring(0, type.length() - 2);
      return dev.cel.common.types.ListType.create(
          switch (element) {
            case "integer" -> SimpleType.INT;
            case "number" -> SimpleType.DOUBLE;
            case "boolean" -> SimpleType.BOOL;
            default -> SimpleType.STRING;
          });
    }
    return switch (type) {
      case "integer" -> NullableType.create(SimpleType.INT);
      case "number" -> NullableType.create(SimpleType.DOUBLE);
      case "boolean" -> NullableType.create(SimpleType.BOOL);
      default -> SimpleType.DYN;
    };
  }

  /** The parsed tree with Medley's field, index and null-branch rules applied (see above). */
  static CelAbstractSyntaxTree rewrite(CelAbstractSyntaxTree parsed) {
    return rewrite(parsed, Set.of());
  }

  /**
   * The same, with {@code params.NAME} / {@code query.NAME} selections whose dotted name is in
   * {@code typed} read as the variable of that name (declared with its type by {@link #compiler}).
   */
  static CelAbstractSyntaxTree rewrite(CelAbstractSyntaxTree parsed, Set<String> typed) {
    CelMutableAst ast = CelMutableAst.fromCelAst(parsed);
    List<CelMutableExpr> nodes = new ArrayList<>();
    long[] maxId = {0};
    CelNavigableMutableAst.fromAst(ast)
        .getRoot()
        .allNodes()
        .map(CelNavigableMutableExpr::expr)
        .forEach(
            e -> {
              nodes.add(e);
              maxId[0] = Math.max(maxId[0], e.id());
            });
    long next = maxId[0] + 1;
    for (CelMutableExpr e : nodes) {
      if (e.getKind() == Kind.SELECT
          && !e.select().testOnly()
          && e.select().operand().getKind() == Kind.IDENT
          && typed.contains(e.select().operand().ident().name() + "." + e.select().field())) {
        e.setIdent(
            CelMutableIdent.create(e.select().operand().ident().name() + "." + e.select().field()));
      } else if (e.getKind() == Kind.SELECT && !e.select().testOnly()) {
        CelMutableExpr operand = e.select().operand();
        String field = e.select().field();
        e.setCall(
            CelMutableCall.create(
                FIELD, operand, CelMutableExpr.ofConstant(next++, CelConstant.ofValue(field))));
      } else if (e.getKind() == Kind.CALL
          && e.call().function().equals("_[_]")
          && e.call().target().isEmpty()) {
        e.call().setFunction(INDEX);
      } else if (e.getKind() == Kind.CALL
          && e.call().function().equals("_?_:_")
          && e.call().args().size() == 3) {
        List<CelMutableExpr> args = e.call().args();
        boolean nullThen = isNull(args.get(1));
        boolean nullElse = isNull(args.get(2));
        if (nullThen != nullElse) {
          int other = nullThen ? 2 : 1;
          e.call()
              .setArg(
                  other,
                  CelMutableExpr.ofCall(next++, CelMutableCall.create("dyn", args.get(other))));
        }
      }
    }
    // The original source keeps the positions (by node id, and ids were kept) for error columns.
    return CelAbstractSyntaxTree.newParsedAst(ast.toParsedAst().getExpr(), parsed.getSource());
  }

  private static boolean isNull(CelMutableExpr e) {
    return e.getKind() == Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.NULL_VALUE;
  }

  /** {@code a.f}: the field, or null when absent or when {@code a} is null. */
  static Object field(Object target, String name) throws CelEvaluationException {
    if (target instanceof Map<?, ?> m) {
      Object v = m.get(name);
      return v == null ? NullValue.NULL_VALUE : v;
    }
    if (target instanceof NullValue) {
      return NullValue.NULL_VALUE;
    }
    throw new CelEvaluationException(
        "field '" + name + "' of " + typeName(target) + " (only objects have fields)");
  }

  /**
   * {@code a[i]}: the element or entry, or null when out of range, absent, or {@code a} is null.
   */
  static Object index(Object target, Object key) throws CelEvaluationException {
    if (target instanceof NullValue) {
      return NullValue.NULL_VALUE;
    }
    if (target instanceof List<?> l) {
      long i;
      if (key instanceof Long n) {
        i = n;
      } else if (key instanceof Double d && d == Math.rint(d)) {
        i = d.longValue();
      } else {
        throw new CelEvaluationException(
            "a list index must be a whole number, not " + typeName(key));
      }
      return i < 0 || i >= l.size() ? NullValue.NULL_VALUE : l.get((int) i);
    }
    if (target instanceof Map<?, ?> m) {
      Object v = m.get(key);
      return v == null ? NullValue.NULL_VALUE : v;
    }
    throw new CelEvaluationException(
        "index of " + typeName(target) + " (only lists and objects can be indexed)");
  }

  private static double divide(double a, double b) throws CelEvaluationException {
    if (b == 0) {
      throw new CelEvaluationException("division by zero");
    }
    return a / b;
  }

  /** A JSON type name for messages: never the value itself. */
  static String typeName(Object v) {
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Long || v instanceof Double || v instanceof Integer) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof NullValue) {
      return "null";
    }
    return "a " + v.getClass().getSimpleName();
  }
}
