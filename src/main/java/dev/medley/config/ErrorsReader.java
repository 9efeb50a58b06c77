package dev.medley.config;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the error-handling keys: {@code passErrors} and {@code allOptionalFailed} on a route,
 * {@code passErrors} on a step, {@code followRedirects} on an upstream; each misuse is a located
 * error.
 */
final class ErrorsReader {
  private static final long DEFAULT_MAX_BODY = 16 * 1024;
  private static final long MAX_MAX_BODY = 1024 * 1024;

  private ErrorsReader() {}

  /** A route's error keys, or null when it sets none. */
  static ErrorsSpec route(YNode.Fields f, Collection<StepSpec> steps) {
    if (!f.has("passErrors") && !f.has("allOptionalFailed")) {
      return null;
    }
    PassErrorsSpec pass = f.has("passErrors") ? passErrors(f.node("passErrors")) : null;
    if (pass != null && steps.stream().allMatch(StepSpec::optional) && !steps.isEmpty()) {
      f.node("passErrors")
          .error(
              "the route has no critical step whose errors could pass (expected at least one"
                  + " step without 'optional'; an optional step's error never passes, it degrades)");
    }
    ErrorsSpec.AllOptionalFailed all =
        "fail".equals(f.oneOf("allOptionalFailed", "partial", "partial", "fail"))
            ? ErrorsSpec.AllOptionalFailed.FAIL
            : ErrorsSpec.AllOptionalFailed.PARTIAL;
    if (all == ErrorsSpec.AllOptionalFailed.FAIL && steps.stream().noneMatch(StepSpec::optional)) {
      f.node("allOptionalFailed")
          .error(
              "the route has no optional step (expected 'fail' only on a route with optional"
                  + " steps; leave it out otherwise)");
    }
    return new ErrorsSpec(pass, all);
  }

  /** A step's {@code passErrors}, or null; refused on an optional step. */
  static PassErrorsSpec step(YNode.Fields f) {
    if (!f.has("passErrors")) {
      return null;
    }
    YNode n = f.node("passErrors");
    if (f.has("optional")) {
      n.error(
          "an optional step's error never passes to the client, it falls back (expected"
              + " passErrors only on a critical step: remove 'optional' or 'passErrors')");
      return null;
    }
    return passErrors(n);
  }

  /**
   * {@code passErrors}: a status or class ({@code 404}, {@code 4xx}), a list of them, or a mapping
   * with {@code statuses}, {@code body} and {@code maxBodySize}.
   */
  static PassErrorsSpec passErrors(YNode n) {
    YNode statuses = n;
    PassErrorsSpec.Body body = PassErrorsSpec.Body.NONE;
    long maxBody = DEFAULT_MAX_BODY;
    if (n.isMap()) {
      YNode.Fields f = n.fields("statuses", "body", "maxBodySize");
      statuses = f.required("statuses");
      body =
          switch (f.oneOf("body", "none", "none", "4xx", "all")) {
            case "4xx" -> PassErrorsSpec.Body.CLIENT_ERRORS;
            case "all" -> PassErrorsSpec.Body.ALL;
            default -> PassErrorsSpec.Body.NONE;
          };
      maxBody = f.bytes("maxBodySize", DEFAULT_MAX_BODY);
      if (maxBody < 1 || maxBody > MAX_MAX_BODY) {
        f.node("maxBodySize")
            .error(
                "'"
                    + f.node("maxBodySize").scalar()
                    + "' (expected a size from 1B to 1MiB, e.g. 16KiB)");
        maxBody = DEFAULT_MAX_BODY;
      }
    }
    Set<Integer> codes = new LinkedHashSet<>();
    boolean client = false;
    boolean server = false;
    List<YNode> items = statuses == null ? List.of() : statuses.isList() ? statuses.items() : null;
    if (items == null) {
      items = List.of(statuses);
    } else if (items.isEmpty()) {
      statuses.error("is empty (expected statuses such as [404, 409] or 4xx)");
    }
    for (YNode item : items) {
      String s = item.scalar();
      if (s == null) {
        continue;
      }
      s = s.trim();
      if (s.equalsIgnoreCase("4xx")) {
        client = true;
      } else if (s.equalsIgnoreCase("5xx")) {
        server = true;
      } else if (s.matches("\\d{3}") && Integer.parseInt(s) >= 400 && Integer.parseInt(s) <= 599) {
        codes.add(Integer.parseInt(s));
      } else {
        item.error(
            "'"
                + s
                + "' (expected an error status from 400 to 599, or 4xx or 5xx: only errors pass;"
                + " a redirect is followed with the upstream's followRedirects)");
      }
    }
    return new PassErrorsSpec(Set.copyOf(codes), client, server, body, maxBody, n.at());
  }

  /** An upstream's {@code followRedirects}: {@code true}, {@code false} or {@code {maxHops: N}}. */
  static RedirectSpec redirects(YNode.Fields f) {
    if (!f.has("followRedirects")) {
      return null;
    }
    YNode n = f.node("followRedirects");
    if (n.isMap()) {
      YNode.Fields r = n.fields("maxHops");
      return new RedirectSpec(r.integer("maxHops", 3, 1, 10), n.at());
    }
    return f.bool("followRedirects", false) ? new RedirectSpec(3, n.at()) : null;
  }
}
