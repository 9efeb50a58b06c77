package dev.medley.config;

/**
 * What the gateway tells operators about itself: metrics, the access log and tracing. Read once at
 * start; the names of what it emits are defined in {@code dev.medley.observe.TelemetryNames}.
 *
 * @param metrics the Prometheus endpoint on the admin port
 * @param accessLog one JSON line per request
 * @param tracing OpenTelemetry spans and W3C trace context propagation
 */
public record ObserveSpec(Metrics metrics, AccessLog accessLog, Tracing tracing) {
  public static final ObserveSpec DEFAULT =
      new ObserveSpec(Metrics.DEFAULT, AccessLog.DEFAULT, Tracing.DEFAULT);

  /**
   * Metrics, scraped from {@code GET /metrics} on the admin port.
   *
   * @param enabled true by default; false records nothing and leaves {@code /metrics} unanswered
   *     (404)
   */
  public record Metrics(boolean enabled) {
    public static final Metrics DEFAULT = new Metrics(true);
  }

  /**
   * The access log, written by its own thread so the event loop never waits on the output.
   *
   * @param target {@code stdout} (default), {@code file} (then {@code path} is required) or {@code
   *     none}
   * @param path the file lines are appended to when {@code target} is {@code file}, else null
   */
  public record AccessLog(String target, String path) {
    public static final String STDOUT = "stdout";
    public static final String FILE = "file";
    public static final String NONE = "none";
    public static final AccessLog DEFAULT = new AccessLog(STDOUT, null);
  }

  /**
   * Tracing. Inbound {@code traceparent}/{@code tracestate} are always honoured and passed on to
   * upstreams; spans are only made when an exporter is chosen.
   *
   * @param exporter {@code none} (default: pass trace context through, make no spans), {@code
   *     logging} (spans to the log, for trying it out) or {@code otlp} (OTLP over HTTP to {@code
   *     endpoint})
   * @param endpoint the OTLP/HTTP traces URL, {@code http://127.0.0.1:4318/v1/traces} by default
   * @param sampleRatio share of new traces that are recorded, 0.0 to 1.0, 1.0 by default; an
   *     inbound trace's own sampling decision is followed
   * @param serviceName the {@code service.name} resource attribute, {@code medley} by default
   */
  public record Tracing(String exporter, String endpoint, double sampleRatio, String serviceName) {
    public static final String NONE = "none";
    public static final String LOGGING = "logging";
    public static final String OTLP = "otlp";
    public static final Tracing DEFAULT =
        new Tracing(NONE, "http://127.0.0.1:4318/v1/traces", 1.0, "medley");
  }
}
