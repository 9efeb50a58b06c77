package dev.medley.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads a YAML config into immutable spec records, reporting every structural problem (unknown or
 * missing keys, bad durations, sizes, methods, patterns) with its location in one pass.
 * Cross-references (upstreams, step references, cycles, expressions) are checked by the plan
 * compiler, which reports in the same format.
 */
public final class ConfigLoader {
  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");
  static final Pattern ROUTE_KEY = Pattern.compile("^([A-Z]+)\\s+(/[^\\s?#]*)$");
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Variables every template and expression sees; a step with one of these names would hide it. */
  static final Set<String> RESERVED_VARIABLES =
      Set.of("params", "query", "headers", "claims", "body", "result", "items");

  /** Words CEL reserves; a step so named could not be referenced in an expression. */
  static final Set<String> CEL_RESERVED =
      Set.of(
          "as",
          "break",
          "const",
          "continue",
          "else",
          "false",
          "for",
          "function",
          "if",
          "import",
          "in",
          "let",
          "loop",
          "package",
          "namespace",
          "null",
          "return",
          "true",
          "var",
          "void",
          "while");

  private final Env env;

  public ConfigLoader(Env env) {
    this.env = env;
  }

  /** What a load produced: a spec (possibly partial) and the problems found. */
  public record Result(MedleySpec spec, List<ConfigError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** Loads a file; throws with every structural error if any. */
  public MedleySpec loadOrThrow(Path file) throws ConfigException {
    Result r = load(file);
    if (!r.ok()) {
      throw new ConfigException(r.errors());
    }
    return r.spec();
  }

  /**
   * Loads a config file, or a folder config (every {@code *.yaml} in it, see {@link ConfigFolder}).
   */
  public Result load(Path file) {
    try {
      return parseAll(ConfigFolder.read(file));
    } catch (IOException e) {
      Problems p = new Problems();
      p.add(new Src(file.toString(), 0, 0), "", "cannot read config: " + e.getMessage());
      return new Result(null, p.errors());
    }
  }

  /** Parses config text; {@code fileName} only labels locations. */
  public Result parse(String text, String fileName) {
    return parseAll(Map.of(fileName, text));
  }

  /**
   * Parses the files of a folder config as one config: each file's top-level sections merged, see
   * {@link ConfigFolder}. {@code texts} maps each file's name (which labels its locations) to its
   * text, in the order the files are merged; one entry is an ordinary single-file config.
   */
  public Result parseAll(Map<String, String> texts) {
    Problems problems = new Problems();
    List<Node> roots = new ArrayList<>();
    String first = texts.keySet().stream().findFirst().orElse("<none>");
    texts.forEach(
        (name, text) -> {
          Node n = compose(text, name, problems);
          if (n != null) {
            roots.add(n);
          }
        });
    if (roots.isEmpty()) {
      if (problems.errors().isEmpty()) {
        problems.add(new Src(first, 1, 1), "", "the config folder has no .yaml files");
      }
      return new Result(null, problems.errors());
    }
    Node root =
        roots.size() == 1 && texts.size() == 1 ? roots.get(0) : ConfigFolder.merge(roots, problems);
    MedleySpec spec = readRoot(new YNode(root, "", first, problems, env));
    return new Result(spec, problems.errors());
  }

  /** One file's YAML tree, or null (with the problem recorded) when it is empty or not YAML. */
  private static Node compose(String text, String fileName, Problems problems) {
    try {
      LoadSettings settings =
          LoadSettings.builder().setLabel(fileName).setAllowDuplicateKeys(true).build();
      Composer composer =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      Optional<Node> single = composer.getSingleNode();
      if (single.isEmpty()) {
        problems.add(new Src(fileName, 1, 1), "", "the config is empty");
        return null;
      }
      return single.get();
    } catch (MarkedYamlEngineException e) {
      Src at =
          e.getProblemMark()
              .map(m -> new Src(fileName, m.getLine() + 1, m.getColumn() + 1))
              .orElse(new Src(fileName, 1, 1));
      problems.add(
          at,
          "",
          "not valid YAML: " + e.getProblem() + yamlHint(e.getProblem(), line(text, at.line())));
      return null;
    } catch (YamlEngineException e) {
      problems.add(new Src(fileName, 1, 1), "", "not valid YAML: " + e.getMessage());
      return null;
    }
  }

  /** The usual YAML traps, named with the fix; "" for other syntax errors. */
  static String yamlHint(String problem, String line) {
    String p = problem == null ? "" : problem;
    if (p.contains("but got {")
        || p.contains("but got }")
        || (line.contains("{") && line.matches(".*:\\s*\\{.*\\{.*"))) {
      return " (a value with braces inside a { } mapping must be quoted, e.g. { path: \"/products/{id}\" })";
    }
    if (line.contains("?") && line.matches(".*:.*\\?.*:.*")) {
      return " (an expression with '? :' must be quoted, e.g. price: \"a != null ? a : b\")";
    }
    if (p.contains("mapping values are not allowed")) {
      return " (a value containing ': ' must be quoted)";
    }
    return "";
  }

  private static String line(String text, int line) {
    String[] lines = text.split("\n", -1);
    return line >= 1 && line <= lines.length ? lines[line - 1] : "";
  }

  private MedleySpec readRoot(YNode root) {
    YNode.Fields f =
        root.fields(
            "version", "server", "auth", "upstreams", "experiences", "observe", "cache", "state");
    YNode versionNode = f.required("version");
    int version = f.integer("version", 1, 1, 1);
    if (versionNode == null) {
      version = 1;
    }
    ServerSpec server = f.has("server") ? readServer(f.node("server")) : ServerSpec.DEFAULT;
    AuthSpec auth = f.has("auth") ? AuthReader.read(f.node("auth")) : AuthSpec.NONE;
    Map<String, UpstreamSpec> upstreams = new LinkedHashMap<>();
    YNode ups = f.required("upstreams");
    if (ups != null) {
      ups.entries()
          .forEach(
              (name, n) -> {
                checkName(n, name, "upstream");
                upstreams.put(name, UpstreamReader.read(name, n));
              });
    }
    Map<String, ExperienceSpec> experiences = new LinkedHashMap<>();
    YNode exps = f.required("experiences");
    if (exps != null) {
      exps.entries()
          .forEach(
              (name, n) -> {
                checkName(n, name, "experience");
                experiences.put(name, readExperience(name, n, auth));
              });
    }
    ObserveSpec observe =
        f.has("observe") ? ObserveReader.read(f.node("observe")) : ObserveSpec.DEFAULT;
    CacheSpec cache = f.has("cache") ? CacheConfigReader.store(f.node("cache")) : CacheSpec.DEFAULT;
    StateSpec state = f.has("state") ? StateReader.read(f.node("state")) : StateSpec.DEFAULT;
    return new MedleySpec(
        version, server, copy(upstreams), copy(experiences), observe, cache, auth, state);
  }

  /** {@code base} followed by {@code more}: the known keys of a section that others extend. */
  private static String[] keys(List<String> more, String... base) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(more);
    return all.toArray(String[]::new);
  }

  private static <K, V> Map<K, V> copy(Map<K, V> m) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  private void checkName(YNode n, String name, String what) {
    if (!NAME.matcher(name).matches()) {
      n.error(
          "'"
              + name
              + "' is not a valid "
              + what
              + " name (expected letters, digits and _, not starting with a digit)");
    }
  }

  private ServerSpec readServer(YNode n) {
    YNode.Fields f =
        n.fields(
            "host",
            "port",
            "admin",
            "shutdownGrace",
            "watchInterval",
            "compression",
            "tls",
            "limits");
    AdminSpec admin = AdminSpec.DEFAULT;
    Map<String, Src> at = new LinkedHashMap<>();
    at.put("server", n.at());
    OperationsReader.locate(at, "server.", f, "host", "port");
    if (f.has("admin")) {
      YNode.Fields a = f.node("admin").fields("host", "port", "token");
      OperationsReader.locate(at, "server.admin.", a, "host", "port");
      admin =
          new AdminSpec(
              a.string("host", AdminSpec.DEFAULT.host()),
              a.integer("port", AdminSpec.DEFAULT.port(), 0, 65535),
              a.string("token", null));
    }
    CompressionSpec compression =
        f.has("compression")
            ? CacheConfigReader.compression(f.node("compression"))
            : CompressionSpec.DEFAULT;
    ServerSpec s =
        new ServerSpec(
            f.string("host", ServerSpec.DEFAULT.host()),
            f.integer("port", 8080, 0, 65535),
            admin,
            OperationsReader.shutdownGrace(f),
            OperationsReader.watchInterval(f),
            Map.copyOf(at),
            compression,
            f.has("tls") ? TransportReader.serverTls(f.node("tls")) : null,
            f.has("limits") ? TransportReader.limits(f.node("limits")) : LimitsSpec.DEFAULT);
    if (s.port() != 0 && s.port() == admin.port()) {
      n.error(
          "server.port and server.admin.port are both "
              + s.port()
              + " (expected different ports: the admin API never shares the public port)");
    }
    return s;
  }

  private ExperienceSpec readExperience(String name, YNode n, AuthSpec auth) {
    YNode.Fields f = n.fields(keys(AccessReader.EXPERIENCE_KEYS, "basePath", "routes", "forward"));
    String base = f.string("basePath", "");
    if (!base.isEmpty() && (!base.startsWith("/") || base.endsWith("/") || base.contains("{"))) {
      f.node("basePath")
          .error(
              "'"
                  + base
                  + "' (expected a literal path starting with / and not ending with /, e.g. /web)");
    }
    AccessSpec access = AccessReader.experience(f, n, auth);
    List<RouteSpec> routes = new ArrayList<>();
    YNode rs = f.required("routes");
    if (rs != null) {
      rs.entries()
          .forEach(
              (key, rn) -> {
                RouteSpec r = readRoute(key, rn, rs.keyAt(key), auth, access);
                if (r != null) {
                  routes.add(r);
                }
              });
    }
    return new ExperienceSpec(
        name, base, List.copyOf(routes), access, ForwardReader.forward(f), n.at());
  }

  private RouteSpec readRoute(
      String key, YNode n, Src keyAt, AuthSpec auth, AccessSpec experience) {
    Matcher m = ROUTE_KEY.matcher(key.trim());
    if (!m.matches() || !METHODS.contains(m.group(1))) {
      n.problems()
          .add(
              keyAt,
              n.path(),
              "route key '"
                  + key
                  + "' (expected 'METHOD /path' with METHOD one of GET, POST, PUT, DELETE, PATCH"
                  + " and a path without spaces, query or fragment)");
      return null;
    }
    String method = m.group(1);
    String path = m.group(2);
    List<String> pathParams = new ArrayList<>();
    Matcher pm = PATH_PARAM.matcher(path);
    while (pm.find()) {
      String p = pm.group(1);
      if (!NAME.matcher(p).matches()) {
        n.problems()
            .add(
                keyAt,
                n.path(),
                "path parameter '{" + p + "}' (expected a name of letters, digits and _)");
      } else if (pathParams.contains(p)) {
        n.problems().add(keyAt, n.path(), "path parameter '{" + p + "}' appears twice");
      } else {
        pathParams.add(p);
      }
    }
    for (String seg : path.split("/")) {
      if (seg.contains("{") && !seg.matches("\\{[^}]*}")) {
        n.problems()
            .add(
                keyAt,
                n.path(),
                "segment '"
                    + seg
                    + "' (expected a parameter to fill a whole segment, e.g. /items/{id})");
      }
    }
    YNode.Fields f =
        n.fields(
            keys(
                AccessReader.ROUTE_KEYS,
                "params",
                "query",
                "headers",
                "deadline",
                "steps",
                "response",
                "deprecated",
                "canary",
                "cache",
                "cacheControl",
                "static",
                "forward",
                "responseHeaders",
                "passErrors",
                "allOptionalFailed",
                "proxy",
                "requestBody"));
    ProxySpec proxy = BodyReader.proxy(f, method);
    Map<String, ParamSpec> params = f.map("params", (name, pn) -> readParam(name, pn, false));
    for (String p : params.keySet()) {
      if (!pathParams.contains(p)) {
        YNode pn = f.node("params");
        pn.problems()
            .add(
                pn.keyAt(p),
                pn.child(p),
                "'"
                    + p
                    + "' is not a parameter of path "
                    + path
                    + (pathParams.isEmpty()
                        ? " (the path has no parameters)"
                        : " (expected one of: " + String.join(", ", pathParams) + ")"));
      }
    }
    Map<String, ParamSpec> withDefaults = new LinkedHashMap<>();
    for (String p : pathParams) {
      withDefaults.put(
          p,
          params.getOrDefault(
              p, new ParamSpec(p, "string", null, true, null, 1024, false, false, 0, n.at())));
    }
    Map<String, ParamSpec> query = f.map("query", (name, qn) -> readParam(name, qn, true));
    List<String> headers =
        f.stringList("headers").stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
    Map<String, StepSpec> steps = new LinkedHashMap<>();
    YNode sn = proxy == null ? f.required("steps") : f.node("steps");
    if (sn != null) {
      sn.entries()
          .forEach(
              (name, s) -> {
                checkName(s, name, "step");
                if (RESERVED_VARIABLES.contains(name) || CEL_RESERVED.contains(name)) {
                  s.problems()
                      .add(
                          sn.keyAt(name),
                          s.path(),
                          "'"
                              + name
                              + "' is reserved (expected a step name other than: "
                              + String.join(", ", RESERVED_VARIABLES.stream().sorted().toList())
                              + " and CEL's reserved words)");
                }
                steps.put(name, readStep(name, s));
              });
      BodyReader.checkForwarding(method, steps, sn.entries());
    }
    ValueSpec response = f.has("response") ? value(f.node("response")) : null;
    CacheRuleSpec cache =
        f.has("cache") ? CacheConfigReader.rule(f.node("cache"), method, false, false) : null;
    String cacheControl =
        f.has("cacheControl") ? CacheConfigReader.cacheControl(f.node("cacheControl")) : null;
    AccessSpec access = AccessReader.route(f, n, auth, experience);
    return new RouteSpec(
        method,
        path,
        copy(withDefaults),
        copy(query),
        headers,
        f.positiveDuration("deadline", Duration.ofSeconds(3)),
        copy(steps),
        response,
        OperationsReader.deprecated(f),
        OperationsReader.canary(f),
        cache,
        cacheControl,
        access,
        CallsReader.statics(f),
        ForwardReader.forward(f),
        ForwardReader.responseHeaders(f, true),
        ErrorsReader.route(f, steps.values()),
        keyAt,
        proxy,
        BodyReader.requestBody(f, method, authMode(access, experience, auth)));
  }

  /** How callers of a route with {@code access} authenticate: jwt, basic or none. */
  private static String authMode(AccessSpec access, AccessSpec experience, AuthSpec providers) {
    return access.auth() != null
        ? access.auth()
        : experience.auth() != null ? experience.auth() : providers.defaultMode();
  }

  private ParamSpec readParam(String name, YNode n, boolean isQuery) {
    YNode.Fields f =
        isQuery
            ? n.fields(
                "type", "pattern", "required", "default", "maxLength", "repeated", "maxItems")
            : n.fields("type", "pattern", "maxLength", "allowEncodedSlashes");
    String pattern = f.string("pattern", null);
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        f.node("pattern")
            .error("'" + pattern + "' is not a valid regular expression: " + e.getDescription());
      }
    }
    boolean repeated = isQuery && f.bool("repeated", false);
    if (repeated && f.has("default")) {
      f.node("default")
          .error(
              "a repeated parameter has no default (absent, it is an empty list; test"
                  + " size(query."
                  + name
                  + ") == 0 in an expression)");
    }
    if (isQuery && f.has("maxItems") && !repeated) {
      f.node("maxItems").error("maxItems only applies with repeated: true");
    }
    return new ParamSpec(
        name,
        f.oneOf("type", "string", "string", "integer", "number", "boolean"),
        pattern,
        !isQuery || f.bool("required", false),
        f.string("default", null),
        f.integer("maxLength", 1024, 1, 65536),
        !isQuery && f.bool("allowEncodedSlashes", false),
        repeated,
        repeated ? f.integer("maxItems", 20, 1, 1000) : 0,
        n.at());
  }

  private StepSpec readStep(String name, YNode n) {
    YNode.Fields f =
        n.fields(
            "upstream",
            "method",
            "path",
            "query",
            "skipEmptyQuery",
            "headers",
            "body",
            "when",
            "forEach",
            "as",
            "concurrency",
            "batch",
            "select",
            "merge",
            "optional",
            "timeout",
            "cache",
            "shadow",
            "forward",
            "responseHeaders",
            "passErrors",
            "example",
            "graphql",
            "forwardBody",
            "responseType");
    f.required("upstream");
    GraphqlSpec graphql = f.has("graphql") ? GraphqlReader.read(f.node("graphql"), f) : null;
    if (graphql == null) {
      f.required("path");
    }
    String method =
        graphql != null
            ? "POST"
            : f.oneOf("method", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD");
    BatchSpec batch = null;
    if (f.has("batch")) {
      YNode bn = f.node("batch");
      YNode.Fields b =
          bn.fields(
              "method",
              "path",
              "query",
              "body",
              "key",
              "max",
              "resultsAt",
              "matchOn",
              "missing",
              "window");
      b.required("path");
      batch =
          new BatchSpec(
              b.oneOf("method", "POST", "GET", "POST", "PUT"),
              b.text("path"),
              b.has("body") ? value(b.node("body")) : null,
              b.integer("max", 50, 1, 10_000),
              b.string("resultsAt", ""),
              b.string("matchOn", null),
              b.duration("window", Duration.ZERO),
              copy(b.textMap("query")),
              b.text("key"),
              b.has("missing") ? toJson(value(b.node("missing"))) : null,
              bn.at());
      if (!f.has("forEach")) {
        bn.error("batch needs forEach (expected a forEach expression giving the items to batch)");
      } else {
        BatchChecks.check(bn, b, batch);
      }
    }
    String as = f.string("as", "item");
    if (!NAME.matcher(as).matches()) {
      f.node("as").error("'" + as + "' is not a valid variable name");
    }
    boolean optional = f.has("optional");
    JsonNode fallback = optional ? toJson(value(f.node("optional"))) : null;
    return new StepSpec(
        name,
        f.string("upstream", null),
        method,
        graphql != null && !f.has("path") ? new Text("/graphql", n.at()) : f.text("path"),
        copy(f.textMap("query")),
        f.bool("skipEmptyQuery", false),
        copy(f.textMap("headers")),
        graphql != null ? graphql.body() : f.has("body") ? value(f.node("body")) : null,
        f.text("when"),
        f.text("forEach"),
        as,
        f.integer("concurrency", 8, 1, 1000),
        batch,
        f.text("select"),
        BatchChecks.merge(f, f.has("forEach")),
        optional,
        fallback,
        f.positiveDuration("timeout", null),
        f.has("cache")
            ? CacheConfigReader.rule(f.node("cache"), method, true, batch != null)
            : null,
        CallsReader.shadow(f),
        ErrorsReader.step(f),
        n.at(),
        f.has("example") ? toJson(value(f.node("example"))) : null,
        ForwardReader.forward(f),
        ForwardReader.responseHeaders(f, false),
        graphql,
        BodyReader.step(f, method, f.has("body"), batch != null));
  }

  /** Converts a free-form YAML value, keeping locations on strings. */
  static ValueSpec value(YNode n) {
    if (n.isMap()) {
      Map<String, ValueSpec> fields = new LinkedHashMap<>();
      n.entries().forEach((k, v) -> fields.put(k, value(v)));
      return new ValueSpec.Obj(copy(fields), n.at());
    }
    if (n.isList()) {
      List<ValueSpec> items = new ArrayList<>();
      n.items().forEach(i -> items.add(value(i)));
      return new ValueSpec.Arr(List.copyOf(items), n.at());
    }
    String s = n.scalar();
    if (s == null) {
      return new ValueSpec.Literal(JSON.nullNode(), n.at());
    }
    if (n.plainScalar()) {
      Tag tag = n.tag();
      if (tag.equals(Tag.NULL)) {
        return new ValueSpec.Literal(JSON.nullNode(), n.at());
      }
      if (tag.equals(Tag.BOOL)) {
        return new ValueSpec.Literal(
            JSON.booleanNode(Boolean.parseBoolean(s.toLowerCase(java.util.Locale.ROOT))), n.at());
      }
      if (tag.equals(Tag.INT)) {
        try {
          return new ValueSpec.Literal(JSON.numberNode(new BigInteger(s.replace("_", ""))), n.at());
        } catch (NumberFormatException e) {
          return new ValueSpec.Str(new Text(s, n.at()));
        }
      }
      if (tag.equals(Tag.FLOAT)) {
        try {
          return new ValueSpec.Literal(JSON.numberNode(new BigDecimal(s)), n.at());
        } catch (NumberFormatException e) {
          return new ValueSpec.Str(new Text(s, n.at()));
        }
      }
    }
    return new ValueSpec.Str(new Text(s, n.textAt()));
  }

  /** A static JSON value (fallbacks): strings are taken literally, not as expressions. */
  public static JsonNode toJson(ValueSpec v) {
    return switch (v) {
      case ValueSpec.Literal l -> l.value();
      case ValueSpec.Str s -> JSON.textNode(s.text().value());
      case ValueSpec.Obj o -> {
        ObjectNode obj = JSON.objectNode();
        o.fields().forEach((k, x) -> obj.set(k, toJson(x)));
        yield obj;
      }
      case ValueSpec.Arr a -> {
        ArrayNode arr = JSON.arrayNode();
        a.items().forEach(x -> arr.add(toJson(x)));
        yield arr;
      }
    };
  }
}
