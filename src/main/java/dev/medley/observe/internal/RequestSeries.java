package dev.medley.observe.internal;

import static dev.medley.observe.TelemetryNames.L_EXPERIENCE;
import static dev.medley.observe.TelemetryNames.L_KIND;
import static dev.medley.observe.TelemetryNames.L_OUTCOME;
import static dev.medley.observe.TelemetryNames.L_ROUTE;
import static dev.medley.observe.TelemetryNames.L_STATUS_CLASS;
import static dev.medley.observe.TelemetryNames.L_STEP;
import static dev.medley.observe.TelemetryNames.L_UPSTREAM;
import static dev.medley.observe.TelemetryNames.L_VERSION;

import dev.medley.observe.TelemetryNames;
import dev.medley.time.Clock;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every series the request path records (requests by route and status class, partial answers, steps
 * by outcome, upstream attempts by outcome, and the counters that are those histograms' counts),
 * kept in {@link LatencyHistogram}s and exposed to the Prometheus registry as one collector. The
 * exposition is the one Micrometer gave these meters before (same names, help texts, labels,
 * buckets, {@code _max} gauges; a series appears from its first record on): MetricsEndpointTest
 * compares a scrape line by line with one kept from then.
 *
 * <p>Series live as long as the gateway, keyed by route id, step name and upstream name, so a
 * reload that keeps a route keeps counting where it was; each generation resolves its routes'
 * series once ({@link PlanMeters}) and holds them, so a request looks nothing up by name.
 */
final class RequestSeries implements MultiCollector {
  private static final String REQUEST_HELP = "Time from request read to answer ready";
  private static final String STEP_HELP = "One step of one request, retries included";
  private static final String UPSTREAM_HELP = "One upstream attempt";

  static final String[] STEP_OUTCOMES = {
    TelemetryNames.STEP_OK,
    TelemetryNames.STEP_DEGRADED,
    TelemetryNames.STEP_FAILED,
    TelemetryNames.STEP_SKIPPED
  };

  private final Clock clock;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LatencyHistogram[]> upstreams = new ConcurrentHashMap<>();
  private final Route unmatched =
      new Route(TelemetryNames.NONE, TelemetryNames.UNMATCHED, TelemetryNames.NONE, false);

  RequestSeries(Clock clock) {
    this.clock = clock;
  }

  /** The series of one route (by id), alive across reloads. */
  static final class Route {
    final LatencyHistogram[] statuses = new LatencyHistogram[RouteMeters.STATUS_CLASSES.length];
    final LongAdder partial; // null for unmatched requests: only a route answers partially
    private final Labels labels;
    private final String experience;
    private final String route;
    private final ConcurrentHashMap<String, LatencyHistogram[]> steps = new ConcurrentHashMap<>();

    Route(String experience, String route, String version, boolean partials) {
      this.experience = experience;
      this.route = route;
      this.labels = Labels.of(L_EXPERIENCE, experience, L_ROUTE, route, L_VERSION, version);
      this.partial = partials ? new LongAdder() : null;
      for (int c = 0; c < statuses.length; c++) {
        statuses[c] =
            new LatencyHistogram(
                Labels.of(
                    L_EXPERIENCE,
                    experience,
                    L_ROUTE,
                    route,
                    L_STATUS_CLASS,
                    RouteMeters.STATUS_CLASSES[c],
                    L_VERSION,
                    version));
      }
    }

    /** The series of step {@code name} by outcome ({@link #STEP_OUTCOMES} order). */
    LatencyHistogram[] step(String name) {
      LatencyHistogram[] s = steps.get(name);
      return s != null ? s : steps.computeIfAbsent(name, this::stepSeries);
    }

    private LatencyHistogram[] stepSeries(String name) {
      LatencyHistogram[] s = new LatencyHistogram[STEP_OUTCOMES.length];
      for (int i = 0; i < s.length; i++) {
        s[i] =
            new LatencyHistogram(
                Labels.of(
                    L_EXPERIENCE, experience,
                    L_OUTCOME, STEP_OUTCOMES[i],
                    L_ROUTE, route,
                    L_STEP, name));
      }
      return s;
    }

    private boolean used() {
      for (LatencyHistogram h : statuses) {
        if (h.used()) {
          return true;
        }
      }
      return false;
    }
  }

  Route route(String id, String experience, String route, String version) {
    Route r = routes.get(id);
    return r != null
        ? r
        : routes.computeIfAbsent(id, k -> new Route(experience, route, version, true));
  }

  Route unmatched() {
    return unmatched;
  }

  /** The attempt series of {@code upstream} by outcome ({@link UpstreamMeters#OUTCOMES} order). */
  LatencyHistogram[] upstream(String upstream) {
    return upstreams.computeIfAbsent(
        upstream,
        u -> {
          LatencyHistogram[] s = new LatencyHistogram[UpstreamMeters.OUTCOMES.length];
          for (int i = 0; i < s.length; i++) {
            s[i] =
                new LatencyHistogram(
                    Labels.of(L_OUTCOME, UpstreamMeters.OUTCOMES[i], L_UPSTREAM, u));
          }
          return s;
        });
  }

  /** One histogram family, its {@code _max} gauge and the counters that read its counts. */
  private static final class Family {
    final List<HistogramDataPointSnapshot> histograms = new ArrayList<>();
    final List<GaugeDataPointSnapshot> maxima = new ArrayList<>();

    void add(LatencyHistogram h, LatencyHistogram.Reading r) {
      histograms.add(h.histogram(r));
      maxima.add(h.max(r));
    }

    void into(List<MetricSnapshot> out, String name, String help) {
      if (histograms.isEmpty()) {
        return;
      }
      out.add(new HistogramSnapshot(false, new MetricMetadata(name, help, null), histograms));
      out.add(new GaugeSnapshot(new MetricMetadata(name + "_max", help, null), maxima));
    }
  }

  private static void counter(
      List<MetricSnapshot> out, String name, String help, List<CounterDataPointSnapshot> points) {
    if (!points.isEmpty()) {
      out.add(new CounterSnapshot(new MetricMetadata(name, help, null), points));
    }
  }

  private static CounterDataPointSnapshot count(double value, Labels labels) {
    return new CounterDataPointSnapshot(value, labels, null, 0L);
  }

  @Override
  public MetricSnapshots collect() {
    long now = clock.nanoTime();
    Family requests = new Family();
    Family steps = new Family();
    Family attempts = new Family();
    List<CounterDataPointSnapshot> answered = new ArrayList<>();
    List<CounterDataPointSnapshot> partial = new ArrayList<>();
    List<CounterDataPointSnapshot> tried = new ArrayList<>();
    List<CounterDataPointSnapshot> timeouts = new ArrayList<>();
    List<Route> all = new ArrayList<>(routes.values());
    all.add(unmatched);
    for (Route route : all) {
      for (LatencyHistogram h : route.statuses) {
        if (h.used()) {
          LatencyHistogram.Reading r = h.read(now);
          requests.add(h, r);
          answered.add(count(r.count(), h.labels()));
        }
      }
      if (route.partial != null && route.used()) {
        partial.add(count(route.partial.sum(), route.labels));
      }
      for (LatencyHistogram[] outcomes : route.steps.values()) {
        for (LatencyHistogram h : outcomes) {
          if (h.used()) {
            steps.add(h, h.read(now));
          }
        }
      }
    }
    for (var e : upstreams.entrySet()) {
      LatencyHistogram[] outcomes = e.getValue();
      for (int i = 0; i < outcomes.length; i++) {
        LatencyHistogram h = outcomes[i];
        if (!h.used()) {
          continue;
        }
        LatencyHistogram.Reading r = h.read(now);
        attempts.add(h, r);
        tried.add(count(r.count(), h.labels()));
        String word = UpstreamMeters.OUTCOMES[i];
        if (word.equals(TelemetryNames.UPSTREAM_TIMEOUT)
            || word.equals(TelemetryNames.UPSTREAM_DEADLINE)) {
          timeouts.add(count(r.count(), Labels.of(L_KIND, word, L_UPSTREAM, e.getKey())));
        }
      }
    }
    List<MetricSnapshot> out = new ArrayList<>();
    requests.into(out, seconds(TelemetryNames.REQUEST_DURATION), REQUEST_HELP);
    steps.into(out, seconds(TelemetryNames.STEP_DURATION), STEP_HELP);
    attempts.into(out, seconds(TelemetryNames.UPSTREAM_DURATION), UPSTREAM_HELP);
    counter(out, name(TelemetryNames.REQUESTS), "Answered requests", answered);
    counter(
        out,
        name(TelemetryNames.PARTIAL_RESPONSES),
        "Answers in which at least one optional step fell back",
        partial);
    counter(
        out, name(TelemetryNames.UPSTREAM_ATTEMPTS), "Upstream attempts, retries included", tried);
    counter(
        out,
        name(TelemetryNames.UPSTREAM_TIMEOUTS),
        "Upstream attempts cut short by time",
        timeouts);
    return new MetricSnapshots(out);
  }

  /** Micrometer's Prometheus name of a meter (a counter's {@code _total} is the writer's). */
  private static String name(String meter) {
    return meter.replace('.', '_');
  }

  private static String seconds(String timer) {
    return name(timer) + "_seconds";
  }
}
