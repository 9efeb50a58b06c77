package dev.medley.config;

/** Reads the {@code observe:} section; kept apart so {@link ConfigLoader} stays about routes. */
final class ObserveReader {
  private ObserveReader() {}

  static ObserveSpec read(YNode n) {
    YNode.Fields f = n.fields("metrics", "accessLog", "tracing");
    ObserveSpec.Metrics metrics = ObserveSpec.Metrics.DEFAULT;
    if (f.has("metrics")) {
      YNode.Fields m = f.node("metrics").fields("enabled");
      metrics = new ObserveSpec.Metrics(m.bool("enabled", ObserveSpec.Metrics.DEFAULT.enabled()));
    }
    ObserveSpec.AccessLog log =
        f.has("accessLog") ? accessLog(f.node("accessLog")) : ObserveSpec.AccessLog.DEFAULT;
    ObserveSpec.Tracing tracing =
        f.has("tracing") ? tracing(f.node("tracing")) : ObserveSpec.Tracing.DEFAULT;
    return new ObserveSpec(metrics, log, tracing);
  }

  private static ObserveSpec.AccessLog accessLog(YNode n) {
    YNode.Fields f = n.fields("target", "path");
    String target =
        f.oneOf(
            "target",
            ObserveSpec.AccessLog.DEFAULT.target(),
            ObserveSpec.AccessLog.STDOUT,
            ObserveSpec.AccessLog.FILE,
            ObserveSpec.AccessLog.NONE);
    String path = f.string("path", null);
    if (ObserveSpec.AccessLog.FILE.equals(target) && (path == null || path.isBlank())) {
      n.error("target: file needs a path (expected e.g. path: /var/log/medley/access.log)");
    }
    if (!ObserveSpec.AccessLog.FILE.equals(target) && path != null) {
      f.node("path")
          .error("path is only read with target: file (expected target: file, or no path)");
    }
    return new ObserveSpec.AccessLog(
        target, ObserveSpec.AccessLog.FILE.equals(target) ? path : null);
  }

  private static ObserveSpec.Tracing tracing(YNode n) {
    ObserveSpec.Tracing d = ObserveSpec.Tracing.DEFAULT;
    YNode.Fields f = n.fields("exporter", "endpoint", "sampleRatio", "serviceName");
    String exporter =
        f.oneOf(
            "exporter",
            d.exporter(),
            ObserveSpec.Tracing.NONE,
            ObserveSpec.Tracing.LOGGING,
            ObserveSpec.Tracing.OTLP);
    String endpoint = f.string("endpoint", d.endpoint());
    if (f.has("endpoint") && !endpoint.matches("^https?://[^/\\s?#]+(/[^\\s?#]*)?$")) {
      f.node("endpoint")
          .error(
              "'"
                  + endpoint
                  + "' (expected an http:// or https:// URL, e.g. http://127.0.0.1:4318/v1/traces)");
    }
    double ratio = d.sampleRatio();
    YNode rn = f.node("sampleRatio");
    String rs = f.string("sampleRatio", null);
    if (rs != null) {
      try {
        ratio = Double.parseDouble(rs.trim());
      } catch (NumberFormatException e) {
        ratio = Double.NaN;
      }
      if (!(ratio >= 0.0 && ratio <= 1.0)) {
        rn.error(rs + " (expected a number from 0.0 to 1.0, e.g. 0.1 to record one trace in ten)");
        ratio = d.sampleRatio();
      }
    }
    String service = f.string("serviceName", d.serviceName());
    if (service.isBlank()) {
      f.node("serviceName").error("serviceName is empty (expected a name such as medley-web)");
    }
    return new ObserveSpec.Tracing(exporter, endpoint, ratio, service);
  }
}
