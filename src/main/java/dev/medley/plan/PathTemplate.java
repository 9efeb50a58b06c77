package dev.medley.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.config.Text;
import io.vertx.uritemplate.UriTemplate;
import io.vertx.uritemplate.Variables;

/**
 * An upstream path as an RFC 6570 template of simple expansions. Every value is percent-encoded
 * (all but unreserved characters), so no value can add a segment, a query or a fragment; values
 * that are or contain a dot-segment at any depth of decoding, or a slash or backslash, are refused
 * ({@link PathSafety}) because servers decode and normalize those. Slashes are let through only in
 * path parameters whose rule allows them (checked when the request was read). The literal parts are
 * expanded once, at load, by the Vert.x template engine; a request only appends them and the
 * encoded values (expanding through the engine per request allocated a variables map and several
 * builders per call, see docs/performance.md).
 */
final class PathTemplate {
  private final String[] literals;
  private final Ref[] refs;
  private final String[] names;
  private final String source;
  private final int sizeHint;

  private PathTemplate(String[] literals, Ref[] refs, String[] names, String source) {
    this.literals = literals;
    this.refs = refs;
    this.names = names;
    this.source = source;
    int n = 0;
    for (String l : literals) {
      n += l.length();
    }
    this.sizeHint = n + 16 * refs.length;
  }

  static PathTemplate compile(Text text, Binder binder) {
    String s = text.value();
    if (!s.startsWith("/") || s.indexOf('?') >= 0 || s.indexOf('#') >= 0) {
      binder.error(
          text.at(),
          "path '"
              + s
              + "' (expected a path starting with / and no query or fragment; use query: for query parameters)");
      return null;
    }
    TemplateParts p = TemplateParts.parse(text, binder);
    if (!p.ok) {
      return null;
    }
    StringBuilder rewritten = new StringBuilder(p.literals.get(0));
    for (int i = 0; i < p.refs.size(); i++) {
      // Internal names keep the engine's variable syntax simple whatever the user's names are.
      rewritten.append("{v").append(i).append('}').append(p.literals.get(i + 1));
    }
    for (String seg : rewritten.toString().split("/")) {
      if (seg.equals(".") || seg.equals("..")) {
        binder.error(text.at(), "path '" + s + "' contains a dot-segment");
        return null;
      }
    }
    String[] literals = new String[p.literals.size()];
    for (int i = 0; i < literals.length; i++) {
      // A template without variables expands to its literal, encoded as RFC 6570 encodes literals.
      literals[i] = UriTemplate.of(p.literals.get(i)).expandToString(Variables.variables());
    }
    return new PathTemplate(
        literals, p.refs.toArray(Ref[]::new), p.names.toArray(String[]::new), s);
  }

  /** The encoded path for this request. */
  String expand(Scope s) {
    StringBuilder out = new StringBuilder(sizeHint).append(literals[0]);
    for (int i = 0; i < refs.length; i++) {
      JsonNode v = refs[i].resolve(s);
      if (v == null || v.isNull() || v.isContainerNode()) {
        throw new TemplateException("path variable {" + names[i] + "} has no usable value", false);
      }
      String text = v.asText();
      if (text.isEmpty()) {
        throw new TemplateException(
            "path variable {" + names[i] + "} would form an empty segment",
            refs[i].root() != Ref.Root.STEP);
      }
      String unsafe = PathSafety.problem(text, refs[i].root() == Ref.Root.PARAM);
      if (unsafe != null) {
        throw new TemplateException(
            "path variable {" + names[i] + "} " + unsafe + " (it could change the upstream path)",
            refs[i].root() != Ref.Root.STEP);
      }
      out.append(Encoding.component(text)).append(literals[i + 1]);
    }
    return out.toString();
  }

  String source() {
    return source;
  }
}
