package dev.medley.plan;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.medley.config.Src;
import dev.medley.config.Text;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles expression text at load: plain paths become {@link PathExpr}, everything else is parsed
 * and type-checked by CEL, with unknown names and syntax errors reported at file:line:column.
 */
final class ExprCompiler {
  private static final Pattern SIMPLE_PATH =
      Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d{1,6}])*$");
  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]");
  private static final String PATH = "[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d{1,6}])*";
  /** {@code a != null ? a : b}: a value or its default, run by {@link DefaultExpr}. */
  private static final Pattern DEFAULTED =
      Pattern.compile("^(" + PATH + ")\\s*!=\\s*null\\s*\\?\\s*(" + PATH + ")\\s*:\\s*(" + PATH + ")$");
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private ExprCompiler() {}

  /** Compiles {@code text} in the binder's scope; reports problems and returns null on error. */
  static Expr compile(Text text, Binder binder) {
    String src = text.value().trim();
    if (src.isEmpty()) {
      binder.error(text.at(), "empty expression");
      return null;
    }
    if (SIMPLE_PATH.matcher(src).matches()) {
      Ref ref = bindPath(src, text, binder);
      return ref == null ? null : new PathExpr(ref, src);
    }
    Matcher d = DEFAULTED.matcher(src);
    if (d.matches() && d.group(1).equals(d.group(2)) && !isReserved(d.group(1)) && !isReserved(d.group(3))) {
      Ref value = bindPath(d.group(1), text, binder);
      Ref fallback = bindPath(d.group(3), text, binder);
      return value == null || fallback == null ? null : new DefaultExpr(value, fallback, src);
    }
    return compileCel(text, src, binder);
  }

  private static Ref bindPath(String path, Text text, Binder binder) {
    List<String> segs = new ArrayList<>();
    Matcher m = SEGMENT.matcher(path);
    while (m.find()) {
      segs.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return binder.bind(segs, text.at());
  }

  /** CEL literals and keywords look like paths; leave expressions using them to CEL. */
  private static boolean isReserved(String path) {
    String root = path.split("[.\\[]", 2)[0];
    return root.equals("null") || root.equals("true") || root.equals("false") || root.equals("in");
  }

  private static Expr compileCel(Text text, String src, Binder binder) {
    CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    for (String name : binder.rootNames()) {
      builder.addVar(name, SimpleType.DYN);
    }
    CelCompiler compiler = builder.build();
    CelAbstractSyntaxTree ast;
    try {
      ast = compiler.compile(src).getAst();
    } catch (CelValidationException e) {
      for (CelIssue issue : e.getErrors()) {
        binder.error(locate(text, issue), "expression '" + src + "': " + issue.getMessage());
      }
      return null;
    }
    Set<String> roots = new LinkedHashSet<>();
    CelNavigableAst.fromAst(ast).getRoot().allNodes()
        .filter(n -> n.expr().getKind() == CelExpr.ExprKind.Kind.IDENT)
        .forEach(n -> roots.add(n.expr().ident().name()));
    List<String> names = new ArrayList<>();
    List<Ref> refs = new ArrayList<>();
    for (String root : roots) {
      if (!binder.rootNames().contains(root)) {
        continue; // a comprehension variable such as x in list.map(x, ...)
      }
      Ref ref = switch (root) {
        case "params" -> new Ref(Ref.Root.PARAM, null, -1, new String[0]);
        case "query" -> new Ref(Ref.Root.QUERY, null, -1, new String[0]);
        case "headers" -> new Ref(Ref.Root.HEADER, null, -1, new String[0]);
        default -> binder.bind(List.of(root), text.at());
      };
      if (ref == null) {
        return null;
      }
      names.add(root);
      refs.add(ref);
    }
    try {
      return new dev.medley.plan.CelExpr(RUNTIME.createProgram(ast), src, names.toArray(String[]::new),
          refs.toArray(Ref[]::new));
    } catch (CelEvaluationException e) {
      binder.error(text.at(), "expression '" + src + "': " + e.getMessage());
      return null;
    }
  }

  private static Src locate(Text text, CelIssue issue) {
    int col = issue.getSourceLocation().getColumn();
    // Block scalars do not start where their text starts; point at the value then.
    return col >= 0 && issue.getSourceLocation().getLine() <= 1 ? text.at().plusColumns(col) : text.at();
  }
}
