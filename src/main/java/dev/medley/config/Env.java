package dev.medley.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${env:NAME:-default}} in config scalars. The lookup is
 * injected so tests do not depend on the process environment.
 */
public final class Env {
  private static final Pattern REF =
      Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private final Function<String, String> lookup;

  public Env(Function<String, String> lookup) {
    this.lookup = lookup;
  }

  /** The process environment. */
  public static Env system() {
    return new Env(System::getenv);
  }

  public static Env of(Map<String, String> values) {
    return new Env(values::get);
  }

  String interpolate(String raw, YNode where) {
    if (raw.indexOf("${") < 0) {
      return raw;
    }
    Matcher m = REF.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = lookup.apply(m.group(1));
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        where.error(
            "environment variable "
                + m.group(1)
                + " is not set (write ${env:"
                + m.group(1)
                + ":-default} to give a default)");
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
