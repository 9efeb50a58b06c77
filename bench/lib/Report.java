import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the JSON lines of one bench/run.sh run into its Markdown report: a table per phase and
 * the targets of issue 7 as measured ratios. Run with the JDK's source launcher and Jackson from
 * the shaded jar: {@code java -cp target/medley.jar bench/lib/Report.java RUN.jsonl}.
 */
public final class Report {
  private static final Map<String, String> WHAT = Map.ofEntries(
      Map.entry("direct-stub", "the product stub itself (reference)"),
      Map.entry("nginx-static", "(f) nginx serving the composed page as a static body"),
      Map.entry("fastify", "Fastify BFF (peer)"),
      Map.entry("express", "Express BFF (peer)"),
      Map.entry("tailcall", "Tailcall, nested REST route (peer)"),
      Map.entry("tailcall-par", "Tailcall, four root fields (peer)"),
      Map.entry("spring", "Spring Boot WebFlux BFF (peer)"),
      Map.entry("medley-page", "(a) Medley, 4-way product page, uncached, peer-equivalent config"),
      Map.entry("medley-defaults", "(a) the same page with every default on: access log, metrics, retries, breakers"),
      Map.entry("medley-cached", "(c) Medley, product page from the response cache"),
      Map.entry("medley-mobile", "(d) Medley, mobile shape"),
      Map.entry("medley-batch", "(e) Medley, list page: 20 items through one batch call"));

  private final Map<String, Map<String, List<JsonNode>>> byPhase = new LinkedHashMap<>();
  private final List<JsonNode> processes = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String info = "";
  private String cached = "not measured";
  private String run = "";
  private final StringBuilder out = new StringBuilder();

  public static void main(String[] args) throws IOException {
    Report r = new Report();
    ObjectMapper m = new ObjectMapper();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (!line.isBlank()) {
        r.add(m.readTree(line));
      }
    }
    System.out.print(r.render());
  }

  private void add(JsonNode n) {
    run = n.path("run").asText(run);
    switch (n.path("kind").asText()) {
      case "measure" -> byPhase.computeIfAbsent(n.path("phase").asText(), k -> new LinkedHashMap<>())
          .computeIfAbsent(n.path("workload").asText(), k -> new ArrayList<>()).add(n);
      case "process" -> processes.add(n);
      case "info" -> {
        info = n.path("text").asText();
        cached = n.path("cached").asText();
      }
      case "note" -> notes.add(n.path("phase").asText() + ": " + n.path("text").asText());
      default -> { }
    }
  }

  private String render() {
    line("# Medley benchmark, run " + run);
    line("");
    line("Taken on a 2-core machine shared by the stubs, the gateway being measured, `wrk` and, during");
    line("development, other builds: read the ratios (measured in interleaved rounds), not the absolute");
    line("numbers. Steal and idle are the whole machine's during each measurement.");
    line("");
    line("```");
    line(info);
    line("```");
    throughput();
    delay();
    process();
    targets();
    defaultsTargets();
    notes.forEach(n -> line("- note: " + n));
    return out.toString();
  }

  private void throughput() {
    Map<String, List<JsonNode>> t = byPhase.get("throughput");
    if (t == null) {
      return;
    }
    line("");
    line("## Throughput: zero-delay nginx stubs, `wrk -t1 -c" + first(t).path("conns").asInt() + "`");
    line("");
    line("| workload | what | req/s (median) | req/s per round | p50 ms | p99 ms | CPU µs/page | event-loop CPU µs/page | upstream calls/page | errors | steal % | idle % |");
    line("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|");
    t.forEach((w, rs) -> line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s |",
        w, WHAT.getOrDefault(w, w), num(median(rs, n -> n.path("rps").asDouble()), 0), perRound(rs),
        num(median(rs, n -> n.path("p50").asDouble()), 2), num(median(rs, n -> n.path("p99").asDouble()), 2),
        num(cpuPerPage(rs), 0), num(perPage(rs, "eventLoopCpuSec") * 1e6, 0), num(callsPerPage(rs), 2), errors(rs),
        range(rs, "stealPct"), range(rs, "idlePct"))));
    if (!t.containsKey("medley-cached")) {
      line("| medley-cached | " + WHAT.get("medley-cached") + " | " + cached + " | | | | | | | | | |");
    }
    line("");
    line("CPU µs/page: user+system CPU of the serving process (Medley's JVM, the Node peer, Tailcall;");
    line("nginx master and worker for the two nginx rows) over the measured window, divided by pages.");
    line("Event-loop CPU: Medley's Vert.x event-loop threads alone (the request path without JIT and GC).");
    line("Upstream calls/page: requests counted by the stub, divided by pages.");
  }

  private void delay() {
    Map<String, List<JsonNode>> d = byPhase.get("delay");
    if (d == null) {
      return;
    }
    double delayMs = first(d).path("delayMs").asDouble();
    List<JsonNode> direct = d.get("direct-stub");
    double d50 = direct == null ? Double.NaN : median(direct, n -> n.path("p50").asDouble());
    double d99 = direct == null ? Double.NaN : median(direct, n -> n.path("p99").asDouble());
    line("");
    line("## Latency: upstreams delayed " + num(delayMs, 0) + " ms, `wrk -t1 -c" + first(d).path("conns").asInt() + "`");
    line("");
    line("| workload | req/s | p50 ms | p90 ms | p99 ms | p50 over " + num(delayMs, 0) + " ms | p99 over " + num(delayMs, 0)
        + " ms | p50 over direct stub | p99 over direct stub | errors |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    d.forEach((w, rs) -> {
      double p50 = median(rs, n -> n.path("p50").asDouble());
      double p99 = median(rs, n -> n.path("p99").asDouble());
      boolean ref = w.equals("direct-stub");
      line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |", w,
          num(median(rs, n -> n.path("rps").asDouble()), 0), num(p50, 2), num(median(rs, n -> n.path("p90").asDouble()), 2),
          num(p99, 2), num(p50 - delayMs, 2), num(p99 - delayMs, 2), ref ? "—" : num(p50 - d50, 2),
          ref ? "—" : num(p99 - d99, 2), errors(rs)));
    });
  }

  private void process() {
    if (processes.isEmpty()) {
      return;
    }
    line("");
    line("## Medley process (`-Xmx256m`)");
    line("");
    line("| phase | ready ms (launch of `java -jar` to first 200 from /health/ready) | peak RSS MiB (VmHWM) |");
    line("|---|---:|---:|");
    for (JsonNode p : processes) {
      line("| " + p.path("phase").asText() + " | " + p.path("readyMs").asInt() + " | "
          + num(p.path("peakRssKiB").asDouble() / 1024, 0) + " |");
    }
  }

  private void targets() {
    Map<String, List<JsonNode>> t = byPhase.getOrDefault("throughput", Map.of());
    Map<String, List<JsonNode>> d = byPhase.getOrDefault("delay", Map.of());
    line("");
    line("## Targets (issue 7)");
    line("");
    line("| target | measured | verdict |");
    line("|---|---|---|");
    double page = rps(t, "medley-page");
    double pageP99 = p99(t, "medley-page");
    ratio("(a) ≥ 2× Tailcall req/s", page, rps(t, "tailcall"), 2);
    ratio("(a) ≥ 5× Fastify req/s", page, rps(t, "fastify"), 5);
    for (String peer : List.of("tailcall", "fastify")) {
      if (t.containsKey(peer) && t.containsKey("medley-page")) {
        boolean met = pageP99 < p99(t, peer);
        line("| (a) p99 lower than " + peer + " | " + num(pageP99, 2) + " ms vs " + num(p99(t, peer), 2) + " ms | "
            + (met ? "met" : "missed") + " |");
      }
    }
    if (t.containsKey("medley-page")) {
      double cpu = cpuPerPage(t.get("medley-page"));
      line("| (a) CPU ≤ 100 µs/page | " + num(cpu, 0) + " µs | " + (cpu <= 100 ? "met" : "missed by " + num(cpu - 100, 0) + " µs") + " |");
    }
    if (d.containsKey("medley-page") && d.containsKey("direct-stub")) {
      double direct = p99(d, "direct-stub");
      double delayMs = first(d).path("delayMs").asDouble();
      double over = p99(d, "medley-page") - direct;
      // A direct stub whose own p99 is far above its delay says the machine, not the gateway, set the tail.
      String verdict = direct > delayMs * 1.5
          ? "not judged: the direct stub's own p99 was " + num(direct, 1) + " ms for a " + num(delayMs, 0) + " ms delay"
          : over <= 0.5 ? "met" : "missed by " + num(over - 0.5, 2) + " ms";
      line("| (b) p99 ≤ 0.5 ms above the direct stub | " + num(over, 2) + " ms | " + verdict + " |");
    }
    if (t.containsKey("medley-cached")) {
      double c = rps(t, "medley-cached");
      ratio("(c) cached ≥ 0.5× nginx static", c, rps(t, "nginx-static"), 0.5);
      ratio("(c) cached ≥ 5× Medley uncached", c, page, 5);
    } else {
      line("| (c) cached page | " + cached + " | — |");
    }
    processes.stream().filter(p -> p.path("phase").asText().equals("throughput")).findFirst().ifPresent(p ->
        line("| (a) peak RSS with -Xmx256m | " + num(p.path("peakRssKiB").asDouble() / 1024, 0) + " MiB | reported |"));
    // The start-up phase starts Medley alone; the other phases start it beside the peers' start-up.
    boolean quiet = processes.stream().anyMatch(p -> p.path("phase").asText().equals("startup"));
    List<Integer> ready = processes.stream().filter(p -> !quiet || p.path("phase").asText().equals("startup"))
        .map(p -> p.path("readyMs").asInt()).sorted().toList();
    if (!ready.isEmpty()) {
      int med = ready.get(ready.size() / 2);
      line("| ready < 1 s after `java -jar` (median of " + ready.size() + (quiet ? " start-up phase" : "") + " starts) | "
          + med + " ms | " + (med < 1000 ? "met" : "missed by " + (med - 1000) + " ms") + " |");
    }
  }

  /** The targets of issue 15: the page with every default on, against the peers of the same run. */
  private void defaultsTargets() {
    Map<String, List<JsonNode>> t = byPhase.getOrDefault("throughput", Map.of());
    if (!t.containsKey("medley-defaults")) {
      return;
    }
    line("");
    line("## Targets with the defaults on (issue 15)");
    line("");
    line("| target | measured | verdict |");
    line("|---|---|---|");
    double on = rps(t, "medley-defaults");
    double off = rps(t, "medley-page");
    int failed = errors(t.get("medley-defaults"));
    if (failed > 0) {
      // An open breaker answers 503 at once: such pages are cheap and would flatter every ratio below.
      line("| medley-defaults answered only 200s | " + failed + " errors (non-2xx, socket errors, timeouts) | "
          + "the ratios below count failed pages: not judged |");
    }
    if (!Double.isNaN(off)) {
      double cost = 1 - on / off;
      line("| defaults within 10 % of the peer-equivalent config (req/s) | " + num(Math.abs(cost) * 100, 1)
          + (cost >= 0 ? " % fewer (" : " % more (") + num(on, 0)
          + " vs " + num(off, 0) + " req/s; per round: " + perRound(t.get("medley-defaults")) + " vs "
          + perRound(t.get("medley-page")) + ") | " + (failed > 0 || errors(t.get("medley-page")) > 0 ? "not judged: failed pages counted"
          : cost <= 0.10 ? "met" : "missed by " + num((cost - 0.10) * 100, 1) + " points") + " |");
      double cpuOn = cpuPerPage(t.get("medley-defaults"));
      double cpuOff = cpuPerPage(t.get("medley-page"));
      line("| the defaults' CPU per page | " + num(cpuOn, 0) + " vs " + num(cpuOff, 0) + " µs ("
          + String.format(Locale.ROOT, "%+.1f", (cpuOn / cpuOff - 1) * 100) + " %) | reported |");
    }
    peerRatio(t, "defaults on ≥ 2× Tailcall req/s", on, failed, "tailcall", 2);
    peerRatio(t, "defaults on ≥ 3× Fastify req/s", on, failed, "fastify", 3);
    peerRatio(t, "defaults on ≥ 2× Spring WebFlux req/s", on, failed, "spring", 2);
    double cpu = cpuPerPage(t.get("medley-defaults"));
    line("| ≤ 120 µs CPU per page with defaults on | " + num(cpu, 0) + " µs (event loops alone: "
        + num(perPage(t.get("medley-defaults"), "eventLoopCpuSec") * 1e6, 0) + ") | "
        + (cpu <= 120 ? "met" : "missed by " + num(cpu - 120, 0) + " µs") + " |");
    if (t.containsKey("medley-cached")) {
      ratio("cached page ≥ 0.8× nginx static", rps(t, "medley-cached"), rps(t, "nginx-static"), 0.8);
    }
  }

  /** A ratio against a peer, not judged when either side answered errors (req/s would count failed pages). */
  private void peerRatio(Map<String, List<JsonNode>> t, String target, double on, int failed, String peer, double want) {
    double b = rps(t, peer);
    if (Double.isNaN(b)) {
      return;
    }
    int peerFailed = errors(t.get(peer));
    if (failed == 0 && peerFailed == 0) {
      ratio(target, on, b, want);
      return;
    }
    line("| " + target + " | " + num(on / b, 2) + "× (" + num(on, 0) + " vs " + num(b, 0) + " req/s; errors: medley-defaults "
        + failed + ", " + peer + " " + peerFailed + ") | not judged: failed pages counted |");
  }

  private void ratio(String target, double a, double b, double want) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return;
    }
    double r = a / b;
    line("| " + target + " | " + num(r, 2) + "× (" + num(a, 0) + " vs " + num(b, 0) + " req/s) | "
        + (r >= want ? "met" : "missed: " + num(r / want * 100, 0) + " % of the target") + " |");
  }

  private static double rps(Map<String, List<JsonNode>> t, String w) {
    return t.containsKey(w) ? median(t.get(w), n -> n.path("rps").asDouble()) : Double.NaN;
  }

  private static double p99(Map<String, List<JsonNode>> t, String w) {
    return t.containsKey(w) ? median(t.get(w), n -> n.path("p99").asDouble()) : Double.NaN;
  }

  private static double median(List<JsonNode> rs, ToDoubleFunction<JsonNode> f) {
    double[] v = rs.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double cpuPerPage(List<JsonNode> rs) {
    double cpu = 0;
    double pages = 0;
    for (JsonNode n : rs) {
      if (n.path("gatewayCpuSec").isNull()) {
        n = null;
      }
      if (n != null) {
        cpu += n.path("gatewayCpuSec").asDouble();
        pages += n.path("requests").asDouble();
      }
    }
    if (pages == 0) {
      cpu = 0;
      for (JsonNode n : rs) {
        cpu += n.path("stubCpuSec").asDouble();
        pages += n.path("requests").asDouble();
      }
    }
    return pages == 0 ? Double.NaN : cpu / pages * 1e6;
  }

  private static double perPage(List<JsonNode> rs, String field) {
    double sum = 0;
    double pages = 0;
    for (JsonNode n : rs) {
      if (!n.path(field).isNumber()) {
        return Double.NaN;
      }
      sum += n.path(field).asDouble();
      pages += n.path("requests").asDouble();
    }
    return pages == 0 ? Double.NaN : sum / pages;
  }

  private static double callsPerPage(List<JsonNode> rs) {
    double calls = 0;
    double pages = 0;
    for (JsonNode n : rs) {
      if (!n.path("stubRequests").isNumber()) {
        return Double.NaN;
      }
      calls += n.path("stubRequests").asDouble();
      pages += n.path("requests").asDouble();
    }
    return pages == 0 ? Double.NaN : calls / pages;
  }

  private static int errors(List<JsonNode> rs) {
    return rs.stream().mapToInt(n -> n.path("non2xx").asInt() + n.path("sockErrors").asInt() + n.path("timeouts").asInt()).sum();
  }

  private static String perRound(List<JsonNode> rs) {
    return String.join(" / ", rs.stream().map(n -> num(n.path("rps").asDouble(), 0)).toList());
  }

  private static String range(List<JsonNode> rs, String field) {
    double lo = rs.stream().mapToDouble(n -> n.path("machine").path(field).asDouble()).min().orElse(Double.NaN);
    double hi = rs.stream().mapToDouble(n -> n.path("machine").path(field).asDouble()).max().orElse(Double.NaN);
    return Math.round(lo) == Math.round(hi) ? num(lo, 0) : num(lo, 0) + "–" + num(hi, 0);
  }

  private static JsonNode first(Map<String, List<JsonNode>> m) {
    return m.values().iterator().next().get(0);
  }

  private static String num(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, decimals == 0 ? "%,.0f" : "%,." + decimals + "f", v);
  }

  private void line(String s) {
    out.append(s).append('\n');
  }
}
