package dev.medley.plan;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import dev.medley.config.Src;
import dev.medley.config.Text;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles expression text at load: plain paths become {@link PathExpr}, a value-or-default becomes
 * {@link DefaultExpr}, everything else is parsed, rewritten to Medley's dialect ({@link CelEnv})
 * and type-checked by CEL. Every problem is reported at file:line:column inside the expression,
 * with a hint when the text is a known mistake (a template or a YAML scalar where an expression
 * belongs).
 */
final class ExprCompiler {
  /** Where an expression is used, and so what it must give. */
  enum Use {
    WHEN("when", "true or false"),
    FOR_EACH("forEach", "a list"),
    SELECT("select", null),
    RESPONSE("response", null);

    final String key;
    final String gives;

    Use(String key, String gives) {
      this.key = key;
      this.gives = gives;
    }
  }

  private static final Pattern SIMPLE_PATH =
      Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d{1,6}])*$");
  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]");
  private static final String PATH =
      "[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d{1,6}])*";

  /** {@code a != null ? a : b}: a value or its default, run by {@link DefaultExpr}. */
  private static final Pattern DEFAULTED =
      Pattern.compile(
          "^(" + PATH + ")\\s*!=\\s*null\\s*\\?\\s*(" + PATH + ")\\s*:\\s*(" + PATH + ")$");

  /** A {@code {name}} template reference, as in a path or header. */
  private static final Pattern TEMPLATE_REF =
      Pattern.compile("\\{\\s*([A-Za-z_][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*)\\s*}");

  /** Words YAML 1.1 read as booleans; YAML 1.2 (which Medley reads) keeps them as text. */
  private static final Set<String> YAML11_BOOLEANS = Set.of("yes", "no", "on", "off", "y", "n");

  private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+Z?)?$");

  /** CEL's run-time error position, "<input>:N", N a character offset. */
  private static final Pattern CEL_OFFSET =
      Pattern.compile("^evaluation error(?: at <input>:(\\d+))?: ");

  private static final Pattern NO_OVERLOAD =
      Pattern.compile("^No matching overload for function '([^']+)'.*", Pattern.DOTALL);
  private static final Pattern SYNTAX =
      Pattern.compile("(?:mismatched|extraneous) input '([^']*)'");
  private static final Set<String> ARITHMETIC = Set.of("_+_", "_-_", "_*_", "_/_", "_%_", "-_");

  private ExprCompiler() {}

  /** Compiles {@code text} in the binder's scope; reports problems and returns null on error. */
  static Expr compile(Text text, Binder binder, Use use) {
    String raw = text.value();
    String src = raw.strip();
    Src at = text.at().plusColumns(raw.indexOf(src.isEmpty() ? raw : src));
    if (src.isEmpty()) {
      binder.error(
          text.at(),
          "empty expression"
              + (use.gives == null ? "" : " (" + use.key + " must give " + use.gives + ")"));
      return null;
    }
    if (!yamlTrap(src, at, binder, use)) {
      return null;
    }
    if (SIMPLE_PATH.matcher(src).matches() && !isReserved(src)) {
      Ref ref = bindPath(src, at, binder);
      return ref == null ? null : new PathExpr(ref, src, where(at, binder));
    }
    Matcher d = DEFAULTED.matcher(src);
    if (d.matches()
        && d.group(1).equals(d.group(2))
        && !isReserved(d.group(1))
        && !isReserved(d.group(3))) {
      Ref value = bindPath(d.group(1), at, binder);
      Ref fallback =
          value == null ? null : bindPath(d.group(3), at.plusColumns(d.start(3)), binder);
      return value == null || fallback == null
          ? null
          : new DefaultExpr(value, fallback, src, where(at, binder));
    }
    return compileCel(src, at, binder, use);
  }

  /** Known YAML mistakes that would otherwise compile to something else; false when reported. */
  private static boolean yamlTrap(String src, Src at, Binder binder, Use use) {
    String lower = src.toLowerCase(Locale.ROOT);
    if (YAML11_BOOLEANS.contains(lower) && !binder.rootNames().contains(src)) {
      boolean yes = lower.equals("yes") || lower.equals("on") || lower.equals("y");
      binder.error(
          at,
          "'"
              + src
              + "' is not a boolean here: Medley reads YAML 1.2, where only true and false are"
              + " booleans (write "
              + (yes ? "true" : "false")
              + ", or \"'"
              + src
              + "'\" for the text)");
      return false;
    }
    if (DATE.matcher(src).matches()) {
      binder.error(
          at,
          "'"
              + src
              + "' would be computed as a subtraction; an expression's text is quoted as CEL"
              + " inside the YAML string (write \"'"
              + src
              + "'\")");
      return false;
    }
    return true;
  }

  private static Ref bindPath(String path, Src at, Binder binder) {
    List<String> segs = new ArrayList<>();
    Matcher m = SEGMENT.matcher(path);
    while (m.find()) {
      segs.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    Ref ref = binder.bind(segs, at);
    // An expression reads a parameter as its declared type (templates keep the client's text).
    return ref == null || ref.path().length > 0
        ? ref
        : ref.typed(binder.typeOf(ref.root(), ref.key()));
  }

  /** CEL literals and keywords look like paths; leave expressions using them to CEL. */
  private static boolean isReserved(String path) {
    String root = path.split("[.\\[]", 2)[0];
    return root.equals("null") || root.equals("true") || root.equals("false") || root.equals("in");
  }

  private static Expr compileCel(String src, Src at, Binder binder, Use use) {
    Map<String, String> typed = binder.types();
    CelCompiler compiler = CelEnv.compiler(binder.rootNames(), typed);
    CelValidationResult parsed = compiler.parse(src);
    if (parsed.hasError()) {
      if (!templateHint(src, at, binder, use)) {
        return null;
      }
      for (CelIssue issue : parsed.getErrors()) {
        binder.error(
            locate(at, src, issue), "expression '" + src + "': " + clean(issue.getMessage()));
      }
      return null;
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = parsed.getAst();
    } catch (dev.cel.common.CelValidationException e) {
      throw new IllegalStateException("a parse without errors has a tree", e);
    }
    // Names first, with Medley's own messages (did-you-mean, the valid names), at their column.
    Map<String, Integer> roots = new LinkedHashMap<>();
    Set<String> locals = new HashSet<>();
    CelNavigableAst nav = CelNavigableAst.fromAst(ast);
    nav.getRoot()
        .allNodes()
        .filter(n -> n.expr().getKind() == CelExpr.ExprKind.Kind.COMPREHENSION)
        .forEach(
            n -> {
              locals.add(n.expr().comprehension().iterVar());
              locals.add(n.expr().comprehension().accuVar());
            });
    Map<Long, Integer> positions = ast.getSource().getPositionsMap();
    nav.getRoot()
        .allNodes()
        .filter(n -> n.expr().getKind() == CelExpr.ExprKind.Kind.IDENT)
        .forEach(
            n ->
                roots.putIfAbsent(
                    n.expr().ident().name(), positions.getOrDefault(n.expr().id(), 0)));
    List<String> names = new ArrayList<>();
    List<Ref> refs = new ArrayList<>();
    boolean ok = true;
    for (Map.Entry<String, Integer> root : roots.entrySet()) {
      String name = root.getKey();
      if (locals.contains(name)) {
        continue; // a comprehension variable such as x in list.map(x, ...)
      }
      Src nameAt = src.indexOf('\n') < 0 ? at.plusColumns(root.getValue()) : at;
      Ref ref =
          switch (name) {
            case "params" -> new Ref(Ref.Root.PARAM, null, -1, new String[0]);
            case "query" -> new Ref(Ref.Root.QUERY, null, -1, new String[0]);
            case "headers" -> new Ref(Ref.Root.HEADER, null, -1, new String[0]);
            default -> binder.bind(List.of(name), nameAt);
          };
      if (ref == null) {
        ok = false;
        continue;
      }
      names.add(name);
      refs.add(ref);
    }
    if (!ok) {
      return null;
    }
    // Typed parameters the expression selects become variables the checker knows the type of.
    List<String> usedTyped = new ArrayList<>();
    nav.getRoot()
        .allNodes()
        .filter(
            n ->
                n.expr().getKind() == CelExpr.ExprKind.Kind.SELECT
                    && !n.expr().select().testOnly()
                    && n.expr().select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT)
        .map(n -> n.expr().select().operand().ident().name() + "." + n.expr().select().field())
        .filter(typed::containsKey)
        .distinct()
        .forEach(
            name -> {
              String[] parts = name.split("\\.", 2);
              Ref.Root root = parts[0].equals("params") ? Ref.Root.PARAM : Ref.Root.QUERY;
              if (!locals.contains(parts[0])) {
                usedTyped.add(name + " is declared type: " + typed.get(name));
                names.add(name);
                refs.add(new Ref(root, parts[1], -1, new String[0], typed.get(name)));
              }
            });
    CelValidationResult checked =
        compiler.check(
            CelEnv.rewrite(
                ast,
                locals.isEmpty()
                    ? typed.keySet()
                    : typed.keySet().stream()
                        .filter(k -> !locals.contains(k.split("\\.", 2)[0]))
                        .collect(java.util.stream.Collectors.toSet())));
    if (checked.hasError()) {
      for (CelIssue issue : checked.getErrors()) {
        String message = clean(issue.getMessage());
        if (!usedTyped.isEmpty()) {
          // Declared parameters are nullable for the checker; name the type the user declared
          // instead.
          message =
              message
                      .replaceAll("wrapper\\((\\w+)\\)", "$1")
                      .replaceFirst(" \\(candidates: .*\\)$", "")
                  + " ("
                  + String.join(", ", usedTyped)
                  + ")";
        }
        binder.error(
            locate(at, src, issue),
            "expression '" + src + "': " + message + checkHint(issue.getMessage()));
      }
      return null;
    }
    CelAbstractSyntaxTree typedAst;
    try {
      typedAst = checked.getAst();
    } catch (dev.cel.common.CelValidationException e) {
      throw new IllegalStateException("a check without errors has a tree", e);
    }
    if (!resultFits(typedAst, src, at, binder, use)) {
      return null;
    }
    try {
      return new dev.medley.plan.CelExpr(
          CelEnv.RUNTIME.createProgram(typedAst),
          src,
          names.toArray(String[]::new),
          refs.toArray(Ref[]::new),
          at,
          binder.keyPath(),
          binder.types());
    } catch (CelEvaluationException e) {
      binder.error(at, "expression '" + src + "': " + clean(e.getMessage()));
      return null;
    }
  }

  /**
   * The type the checker found must suit the use: {@code when} a boolean, {@code forEach} a list.
   */
  private static boolean resultFits(
      CelAbstractSyntaxTree typed, String src, Src at, Binder binder, Use use) {
    if (use.gives == null) {
      return true;
    }
    CelType t = typed.getResultType();
    CelKind want = use == Use.WHEN ? CelKind.BOOL : CelKind.LIST;
    CelKind got = t.kind();
    if (got == CelKind.DYN) {
      CelExpr top = typed.getExpr();
      boolean arithmetic =
          top.getKind() == CelExpr.ExprKind.Kind.CALL
              && ARITHMETIC.contains(top.call().function())
              && top.call().args().stream()
                  .anyMatch(
                      a ->
                          a.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                              && (a.constant().getKind()
                                      == dev.cel.common.ast.CelConstant.Kind.INT64_VALUE
                                  || a.constant().getKind()
                                      == dev.cel.common.ast.CelConstant.Kind.DOUBLE_VALUE));
      if (!arithmetic) {
        return true;
      }
      got = CelKind.DOUBLE;
    }
    if (got == want) {
      return true;
    }
    String hint =
        use == Use.WHEN
            ? (got == CelKind.STRING
                ? "; a quoted word is text, not a condition: compare it, e.g. product.status == 'yes'"
                : got == CelKind.INT || got == CelKind.DOUBLE
                    ? "; compare the number, e.g. size(order.items) > 0"
                    : "")
            : "";
    binder.error(
        at,
        use.key
            + " must give "
            + use.gives
            + ", but \""
            + src
            + "\" gives "
            + describe(got)
            + hint);
    return false;
  }

  private static String describe(CelKind k) {
    return switch (k) {
      case BOOL -> "a boolean";
      case INT, UINT, DOUBLE -> "a number";
      case STRING -> "a string";
      case LIST -> "a list";
      case MAP -> "an object";
      case NULL_TYPE -> "null";
      default -> k.name().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * A template written where an expression belongs ({@code self: "/orders/{order.id}"}): one error
   * that shows the same value written as an expression. False when reported.
   */
  private static boolean templateHint(String src, Src at, Binder binder, Use use) {
    Matcher m = TEMPLATE_REF.matcher(src);
    List<String> parts = new ArrayList<>();
    int last = 0;
    boolean any = false;
    while (m.find()) {
      any = true;
      if (m.start() > last) {
        parts.add(quote(src.substring(last, m.start())));
      }
      parts.add(
          m.start() == 0 && m.end() == src.length() ? m.group(1) : "string(" + m.group(1) + ")");
      last = m.end();
    }
    if (!any) {
      return true;
    }
    if (last < src.length()) {
      parts.add(quote(src.substring(last)));
    }
    binder.error(
        at,
        "'"
            + src
            + "' is a {template}, but "
            + use.key
            + " values are expressions (CEL); write it as"
            + " \""
            + String.join(" + ", parts)
            + "\"");
    return false;
  }

  private static String quote(String literal) {
    return "'" + literal.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String checkHint(String message) {
    if (message.contains("'_==_' applied to '(int, double)'")
        || message.contains("'_==_' applied to '(double, int)'")) {
      return " (write both numbers the same way, e.g. 1.0 == 1.0)";
    }
    return "";
  }

  /** CEL's messages without its own "ERROR: <input>:1:5:" prefix and source excerpt. */
  static String clean(String message) {
    String m = message.replaceFirst("^ERROR: <input>:\\d+:\\d+: ", "");
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    Matcher syntax = SYNTAX.matcher(m);
    if (syntax.find()) {
      String token = syntax.group(1);
      return token.equals("<EOF>")
          ? "syntax error: the expression ends where a value is expected"
          : "syntax error: unexpected '" + token + "'";
    }
    return m;
  }

  /** The file location of a run-time CEL error, from CEL's character offset. */
  static Src runtimeLocation(Src at, String src, String celMessage) {
    Matcher m = CEL_OFFSET.matcher(celMessage == null ? "" : celMessage);
    if (m.find() && m.group(1) != null && src.indexOf('\n') < 0) {
      return at.plusColumns(Integer.parseInt(m.group(1)));
    }
    return at;
  }

  /** A run-time CEL message without "evaluation error at <input>:N: ". */
  static String runtimeDetail(String celMessage) {
    String m = celMessage == null ? "" : CEL_OFFSET.matcher(celMessage).replaceFirst("");
    Matcher o = NO_OVERLOAD.matcher(m);
    if (o.matches()) {
      String op = o.group(1).replace("_", "");
      return "'"
          + (op.isEmpty() ? o.group(1) : op)
          + "' does not apply to these values (is one of them null,"
          + " or a string where a number belongs?)";
    }
    return m;
  }

  static String where(Src at, Binder binder) {
    return at + " (" + binder.keyPath() + ")";
  }

  private static Src locate(Src at, String src, CelIssue issue) {
    int col = issue.getSourceLocation().getColumn();
    // Block scalars do not start where their text starts; point at the value then.
    return col >= 0 && issue.getSourceLocation().getLine() <= 1 && src.indexOf('\n') < 0
        ? at.plusColumns(col)
        : at;
  }
}
