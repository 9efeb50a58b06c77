package dev.medley.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.config.Units;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One composition-test file ({@code *.test.yaml}) read into its cases, each part remembering its
 * line so a failure points at the expectation that failed. The format is in docs/testing.md.
 *
 * @param file the test file
 * @param config the config (file or folder) the cases run against
 * @param env values for the config's {@code ${env:NAME}} references, over the process environment
 * @param cases the cases, in file order
 */
record TestSuite(Path file, Path config, Map<String, String> env, List<Case> cases) {

  /** A declared answer and which calls it answers: any, or those with this method and path. */
  record Rule(String method, String path, Answer answer) {
    boolean matches(String callMethod, String pathAndQuery) {
      if (method != null && !method.equals(callMethod)) {
        return false;
      }
      if (path == null) {
        return true;
      }
      // Without a query in the rule, the call's query does not matter.
      String actual = path.contains("?") ? pathAndQuery : pathAndQuery.split("\\?", 2)[0];
      return actual.equals(path);
    }
  }

  /** The request a case sends. */
  record Request(String method, String path, Map<String, String> headers, String body) {}

  /** One expectation with the place it is written. */
  record Expected<T>(T value, String at) {}

  /**
   * What a case expects; a null part is not checked.
   *
   * @param partial the optional steps listed in {@code X-Medley-Partial}, empty for a complete
   *     answer
   * @param calls the upstream calls made, each {@code METHOD upstream /path?query}, in any order
   */
  record Expect(
      Expected<Integer> status,
      Expected<Map<String, String>> headers,
      Expected<JsonNode> body,
      Expected<List<String>> partial,
      Expected<List<String>> calls) {}

  /** One case: the upstreams' answers, a request, and what must come back. */
  record Case(
      String name, String at, Map<String, List<Rule>> upstreams, Request request, Expect expect) {}

  static TestSuite read(Path file) throws IOException, YamlTree.Invalid {
    YamlTree root = YamlTree.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    Map<String, YamlTree> f = root.fields("a test file", "config", "env", "tests");
    Path config;
    if (f.containsKey("config")) {
      config = file.resolveSibling(f.get("config").text());
    } else {
      String name = file.getFileName().toString();
      config = file.resolveSibling(name.substring(0, name.lastIndexOf(".test.")) + ".yaml");
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (f.containsKey("env")) {
      for (var e : f.get("env").entries().entrySet()) {
        env.put(e.getKey(), e.getValue().text());
      }
    }
    if (!f.containsKey("tests")) {
      throw root.invalid("missing 'tests' (expected a list of test cases)");
    }
    List<Case> cases = new ArrayList<>();
    for (YamlTree c : f.get("tests").items()) {
      cases.add(readCase(c));
    }
    return new TestSuite(file, config, Map.copyOf(env), List.copyOf(cases));
  }

  private static Case readCase(YamlTree c) throws YamlTree.Invalid {
    Map<String, YamlTree> f = c.fields("a test", "name", "upstreams", "request", "expect");
    for (String required : List.of("name", "request", "expect")) {
      if (!f.containsKey(required)) {
        throw c.invalid("missing '" + required + "' in a test");
      }
    }
    Map<String, List<Rule>> upstreams = new LinkedHashMap<>();
    if (f.containsKey("upstreams")) {
      for (var e : f.get("upstreams").entries().entrySet()) {
        List<Rule> rules = new ArrayList<>();
        YamlTree v = e.getValue();
        for (YamlTree a : v.isList() ? v.items() : List.of(v)) {
          rules.add(rule(a));
        }
        upstreams.put(e.getKey(), List.copyOf(rules));
      }
    }
    return new Case(
        f.get("name").text(),
        c.at(),
        upstreams,
        request(f.get("request")),
        expect(f.get("expect")));
  }

  private static Rule rule(YamlTree a) throws YamlTree.Invalid {
    Map<String, YamlTree> f =
        a.fields("an upstream answer", "when", "status", "headers", "body", "delay", "fail");
    String method = null;
    String path = null;
    if (f.containsKey("when")) {
      String[] parts = f.get("when").text().trim().split("\\s+", 2);
      if (parts.length == 2) {
        method = parts[0].toUpperCase(Locale.ROOT);
        path = parts[1];
      } else if (parts[0].startsWith("/")) {
        path = parts[0];
      } else {
        method = parts[0].toUpperCase(Locale.ROOT);
      }
    }
    return new Rule(method, path, answer(f, a));
  }

  /** The answer keys shared with the mock's examples: status, headers, body, delay, fail. */
  static Answer answer(Map<String, YamlTree> f, YamlTree at) throws YamlTree.Invalid {
    int status = 200;
    if (f.containsKey("status")) {
      try {
        status = Integer.parseInt(f.get("status").text());
      } catch (NumberFormatException e) {
        throw f.get("status")
            .invalid("status '" + f.get("status").text() + "' (expected an HTTP status, e.g. 200)");
      }
    }
    Duration delay = Duration.ZERO;
    if (f.containsKey("delay")) {
      delay = Units.duration(f.get("delay").text());
      if (delay == null) {
        throw f.get("delay")
            .invalid("delay '" + f.get("delay").text() + "' (expected a duration, e.g. 50ms)");
      }
    }
    String fail = null;
    if (f.containsKey("fail")) {
      fail = f.get("fail").text();
      if (!Answer.FAILURES.contains(fail)) {
        throw f.get("fail")
            .invalid(
                "fail '"
                    + fail
                    + "' (expected one of: "
                    + String.join(", ", Answer.FAILURES)
                    + ")");
      }
    }
    return new Answer(
        status,
        strings(f.get("headers")),
        f.containsKey("body") ? f.get("body").json() : null,
        delay,
        fail);
  }

  private static Map<String, String> strings(YamlTree map) throws YamlTree.Invalid {
    Map<String, String> out = new LinkedHashMap<>();
    if (map != null) {
      for (var e : map.entries().entrySet()) {
        out.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().text());
      }
    }
    return out;
  }

  private static Request request(YamlTree r) throws YamlTree.Invalid {
    if (!r.isMap()) {
      String[] parts = r.text().trim().split("\\s+", 2);
      if (parts.length != 2) {
        throw r.invalid(
            "request '" + r.text() + "' (expected 'METHOD /path', e.g. GET /web/products/1)");
      }
      return new Request(parts[0].toUpperCase(Locale.ROOT), parts[1], Map.of(), null);
    }
    Map<String, YamlTree> f = r.fields("a request", "method", "path", "headers", "body");
    if (!f.containsKey("path")) {
      throw r.invalid("missing 'path' in the request");
    }
    String method =
        f.containsKey("method") ? f.get("method").text().toUpperCase(Locale.ROOT) : "GET";
    YamlTree body = f.get("body");
    String text =
        body == null ? null : body.isMap() || body.isList() ? body.json().toString() : body.text();
    return new Request(method, f.get("path").text(), strings(f.get("headers")), text);
  }

  private static Expect expect(YamlTree e) throws YamlTree.Invalid {
    Map<String, YamlTree> f = e.fields("expect", "status", "headers", "body", "partial", "calls");
    Expected<Integer> status = null;
    if (f.containsKey("status")) {
      try {
        status = new Expected<>(Integer.parseInt(f.get("status").text()), f.get("status").at());
      } catch (NumberFormatException x) {
        throw f.get("status").invalid("status (expected an HTTP status, e.g. 200)");
      }
    }
    Expected<Map<String, String>> headers =
        f.containsKey("headers")
            ? new Expected<>(strings(f.get("headers")), f.get("headers").at())
            : null;
    Expected<JsonNode> body =
        f.containsKey("body") ? new Expected<>(f.get("body").json(), f.get("body").at()) : null;
    return new Expect(status, headers, body, list(f.get("partial")), list(f.get("calls")));
  }

  /** A list of strings; {@code false} or {@code []} is the empty list. */
  private static Expected<List<String>> list(YamlTree t) throws YamlTree.Invalid {
    if (t == null) {
      return null;
    }
    if (!t.isList()) {
      String v = t.text();
      if (v.equals("false") || v.isEmpty()) {
        return new Expected<>(List.of(), t.at());
      }
      return new Expected<>(List.of(v), t.at());
    }
    List<String> out = new ArrayList<>();
    for (YamlTree i : t.items()) {
      out.add(i.text().trim().replaceAll("\\s+", " "));
    }
    return new Expected<>(List.copyOf(out), t.at());
  }
}
