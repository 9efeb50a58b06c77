package dev.medley.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.GatewayTest;
import dev.medley.testing.FakeUpstream;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** W3C trace context in and out, server and attempt spans, and the exporters. */
class TracingTest extends GatewayTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT_ID = "b7ad6b7169203331";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";
  private static final String ROUTES =
      """
      upstreams:
        a: { url: "${env:A}" }
        c: { url: "${env:C}" }
      experiences:
        web:
          basePath: /web
          routes:
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                related: { upstream: c, forEach: product.relatedIds, path: "/items/{item}" }
      """;

  private HttpResponse<String> getTraced(String path, String traceparent) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).header("tracestate", "vendor=x");
    if (traceparent != null) {
      b.header("traceparent", traceparent);
    }
    return gw.request(b);
  }

  private void answerProductWithTwoRelatedItems() {
    a.on("/products", FakeUpstream.json("{\"name\":\"Shoe\",\"relatedIds\":[\"5\",\"6\"]}"));
    c.on("/items", FakeUpstream.json("{\"name\":\"Sock\"}"));
  }

  private static String header(FakeUpstream.Received r, String name) {
    return r.headers().get(name);
  }

  /** The parent-id field of a traceparent. */
  private static String parentOf(String traceparent) {
    return traceparent.split("-")[2];
  }

  @Test
  void serverSpanContinuesTheInboundTraceAndEachAttemptIsAChildSpanTheUpstreamSees() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    start(
        "version: 1\nobserve: { accessLog: { target: none } }\n" + ROUTES,
        o -> o.withObserveHooks(new ObserveHooks(spans, null)));
    answerProductWithTwoRelatedItems();

    assertThat(getTraced("/web/p/1", TRACEPARENT).statusCode()).isEqualTo(200);

    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData server =
        all.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    assertThat(server.getName()).isEqualTo("GET /web/p/{id}");
    assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(server.getParentSpanId()).isEqualTo(PARENT_ID);
    assertThat(server.getAttributes().get(AttributeKey.longKey(TelemetryNames.A_HTTP_STATUS)))
        .isEqualTo(200L);
    assertThat(server.getAttributes().get(AttributeKey.stringKey(TelemetryNames.A_HTTP_ROUTE)))
        .isEqualTo("/web/p/{id}");

    // one CLIENT span per attempt: product once, related once per item
    List<SpanData> attempts = all.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertThat(attempts)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("step product", "step related", "step related");
    for (SpanData s : attempts) {
      assertThat(s.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(s.getParentSpanId()).isEqualTo(server.getSpanId());
      assertThat(s.getAttributes().get(AttributeKey.longKey(TelemetryNames.A_HTTP_STATUS)))
          .isEqualTo(200L);
      assertThat(s.getAttributes().get(AttributeKey.longKey(TelemetryNames.A_RETRY))).isEqualTo(0L);
      assertThat(s.getAttributes().get(AttributeKey.stringKey(TelemetryNames.A_CACHE)))
          .isEqualTo("none");
    }
    assertThat(attempts.stream().filter(s -> s.getName().equals("step related")))
        .allSatisfy(
            s ->
                assertThat(s.getAttributes().get(AttributeKey.stringKey(TelemetryNames.A_UPSTREAM)))
                    .isEqualTo("c"));

    // each upstream received the inbound trace id, with its own attempt span as parent, and the
    // trace state
    String productTp = header(a.received().getFirst(), "traceparent");
    assertThat(productTp).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
    SpanData productSpan =
        attempts.stream().filter(s -> s.getName().equals("step product")).findFirst().orElseThrow();
    assertThat(parentOf(productTp)).isEqualTo(productSpan.getSpanId());
    assertThat(header(a.received().getFirst(), "tracestate")).isEqualTo("vendor=x");
    Set<String> relatedSpanIds =
        attempts.stream()
            .filter(s -> s.getName().equals("step related"))
            .map(SpanData::getSpanId)
            .collect(Collectors.toSet());
    assertThat(c.received())
        .extracting(r -> parentOf(header(r, "traceparent")))
        .containsExactlyInAnyOrderElementsOf(relatedSpanIds);
  }

  @Test
  void requestWithoutTraceContextStartsANewTrace() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    start(
        "version: 1\nobserve: { accessLog: { target: none } }\n" + ROUTES,
        o -> o.withObserveHooks(new ObserveHooks(spans, null)));
    answerProductWithTwoRelatedItems();

    assertThat(getTraced("/web/p/1", null).statusCode()).isEqualTo(200);

    SpanData server =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getKind() == SpanKind.SERVER)
            .findFirst()
            .orElseThrow();
    assertThat(server.getParentSpanContext().isValid()).isFalse();
    assertThat(header(a.received().getFirst(), "traceparent"))
        .startsWith("00-" + server.getTraceId() + "-");
  }

  @Test
  void withoutAnExporterTraceContextPassesThroughUnchanged() {
    start("version: 1\nobserve: { accessLog: { target: none } }\n" + ROUTES);
    answerProductWithTwoRelatedItems();

    getTraced("/web/p/1", TRACEPARENT);
    assertThat(header(a.received().getFirst(), "traceparent")).isEqualTo(TRACEPARENT);
    assertThat(header(a.received().getFirst(), "tracestate")).isEqualTo("vendor=x");

    // a malformed traceparent is not forwarded, and nothing is invented
    getTraced("/web/p/2", "00-not-a-trace-01");
    assertThat(header(a.received().get(1), "traceparent")).isNull();
    gw.get("/web/p/3");
    assertThat(header(a.received().get(2), "traceparent")).isNull();
  }

  @Test
  void otlpExporterPostsSpansToTheConfiguredEndpoint() {
    start(
        """
        version: 1
        observe:
          accessLog: { target: none }
          tracing: { exporter: otlp, endpoint: "${env:B}/v1/traces", serviceName: medley-test }
        """
            + ROUTES);
    answerProductWithTwoRelatedItems();
    b.on("/v1/traces", FakeUpstream.json("{}"));
    assertThat(getTraced("/web/p/1", TRACEPARENT).statusCode()).isEqualTo(200);

    gw.close(); // flushes the batch of spans
    gw = null;
    b.awaitRequests(1);
    FakeUpstream.Received export = b.received().getFirst();
    assertThat(export.method()).isEqualTo("POST");
    assertThat(export.uri()).isEqualTo("/v1/traces");
    assertThat(export.headers().get("content-type")).isEqualTo("application/x-protobuf");
    assertThat(export.body())
        .contains("medley-test")
        .contains("GET /web/p/{id}")
        .contains("step related");
  }
}
