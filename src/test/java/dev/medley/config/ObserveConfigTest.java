package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The {@code observe:} section: defaults, every key read, and located errors for mistakes. */
@Tag("fast")
class ObserveConfigTest {
  private static final String BASE =
      """
      version: 1
      upstreams:
        u: { url: "http://127.0.0.1:9101" }
      experiences:
        web:
          routes:
            GET /p:
              steps:
                p: { upstream: u, path: /p }
      """;

  private static ConfigLoader.Result parse(String observe) {
    return new ConfigLoader(Env.of(Map.of("TRACING", "otlp"))).parse(BASE + observe, "medley.yaml");
  }

  @Test
  void absentSectionMeansMetricsOnLogToStdoutAndNoSpans() {
    ConfigLoader.Result r = parse("");
    assertThat(r.errors()).isEmpty();
    assertThat(r.spec().observe()).isEqualTo(ObserveSpec.DEFAULT);
    assertThat(r.spec().observe().metrics().enabled()).isTrue();
    assertThat(r.spec().observe().accessLog().target()).isEqualTo("stdout");
    assertThat(r.spec().observe().tracing().exporter()).isEqualTo("none");
  }

  @Test
  void readsEveryKey() {
    ConfigLoader.Result r =
        parse(
            """
        observe:
          metrics: { enabled: false }
          accessLog: { target: file, path: /var/log/medley/access.log }
          tracing:
            exporter: ${env:TRACING}
            endpoint: http://collector:4318/v1/traces
            sampleRatio: 0.25
            serviceName: medley-web
        """);
    assertThat(r.errors()).isEmpty();
    ObserveSpec o = r.spec().observe();
    assertThat(o.metrics().enabled()).isFalse();
    assertThat(o.accessLog())
        .isEqualTo(new ObserveSpec.AccessLog("file", "/var/log/medley/access.log"));
    assertThat(o.tracing())
        .isEqualTo(
            new ObserveSpec.Tracing("otlp", "http://collector:4318/v1/traces", 0.25, "medley-web"));
  }

  @Test
  void reportsEachMistakeWithItsLocation() {
    ConfigLoader.Result r =
        parse(
            """
        observe:
          accessLog: { target: file }
          tracing: { exporter: jaeger, sampleRatio: 1.5, endpoint: "collector:4318" }
          metric: {}
        """);
    assertThat(r.errors())
        .extracting(ConfigError::format)
        .containsExactlyInAnyOrder(
            "medley.yaml:13:3: observe.metric: unknown key 'metric' (did you mean 'metrics'?) (expected one of: metrics, accessLog, tracing)",
            "medley.yaml:11:14: observe.accessLog: target: file needs a path (expected e.g. path: /var/log/medley/access.log)",
            "medley.yaml:12:24: observe.tracing.exporter: 'jaeger' (expected one of: none, logging, otlp)",
            "medley.yaml:12:45: observe.tracing.sampleRatio: 1.5 (expected a number from 0.0 to 1.0, e.g. 0.1 to record one trace in ten)",
            "medley.yaml:12:60: observe.tracing.endpoint: 'collector:4318' (expected an http:// or https:// URL, e.g. http://127.0.0.1:4318/v1/traces)");
  }

  @Test
  void pathWithoutFileTargetIsRefused() {
    ConfigLoader.Result r = parse("observe: { accessLog: { path: /tmp/a.log } }\n");
    assertThat(r.errors())
        .extracting(ConfigError::format)
        .containsExactly(
            "medley.yaml:10:31: observe.accessLog.path: path is only read with target: file (expected target: file, or no path)");
  }
}
