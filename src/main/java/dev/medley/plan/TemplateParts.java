package dev.medley.plan;

import dev.medley.config.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits template text into literal runs and {@code {name.path}} references, binding each name.
 * Shared by path, text and body templates so they accept exactly the same names.
 */
final class TemplateParts {
  private static final Pattern VAR = Pattern.compile("\\{([^{}]*)}");
  private static final Pattern BARE_PATH =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_-]+)+");
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");

  /** literals.size() == refs.size() + 1; literal i precedes ref i. */
  final List<String> literals = new ArrayList<>();

  final List<Ref> refs = new ArrayList<>();
  final List<String> names = new ArrayList<>();
  boolean ok = true;

  private TemplateParts() {}

  static TemplateParts parse(Text text, Binder binder) {
    TemplateParts t = new TemplateParts();
    String s = text.value();
    Matcher m = VAR.matcher(s);
    int last = 0;
    while (m.find()) {
      t.literals.add(s.substring(last, m.start()));
      String name = m.group(1).trim();
      if (!NAME.matcher(name).matches()) {
        binder.error(
            text.at().plusColumns(m.start()),
            "'{"
                + m.group(1)
                + "}' in template '"
                + s
                + "' (expected a name such as {id}, {query.page} or {product.brandId}; operators like {+x} are not allowed)");
        t.ok = false;
      } else {
        Ref ref = binder.bind(Arrays.asList(name.split("\\.")), text.at().plusColumns(m.start()));
        if (ref == null) {
          t.ok = false;
        }
        t.refs.add(ref);
        t.names.add(name);
      }
      last = m.end();
    }
    t.literals.add(s.substring(last));
    if (t.refs.isEmpty() && t.ok && looksLikeExpression(s, binder)) {
      // The string-kind rule: templates fill only what is in braces, so this would be sent as text.
      binder.error(
          text.at(),
          "'"
              + s
              + "' would be sent as this text: "
              + binder.keyPath().replaceAll(".*\\.", "")
              + " values are {templates}, where only names in braces are filled (write \"{"
              + s
              + "}\")");
      t.ok = false;
    }
    for (String lit : t.literals) {
      if (lit.indexOf('{') >= 0 || lit.indexOf('}') >= 0) {
        binder.error(text.at(), "unbalanced brace in template '" + s + "'");
        t.ok = false;
        break;
      }
    }
    return t;
  }

  /** A whole string that is a dotted name rooted at a known variable: {@code order.id}. */
  private static boolean looksLikeExpression(String s, Binder binder) {
    if (!BARE_PATH.matcher(s).matches()) {
      return false;
    }
    String root = s.substring(0, s.indexOf('.'));
    return binder.rootNames().contains(root) || (binder.allowItems() && root.equals("items"));
  }

  boolean isSingleRef() {
    return refs.size() == 1 && literals.get(0).isEmpty() && literals.get(1).isEmpty();
  }
}
