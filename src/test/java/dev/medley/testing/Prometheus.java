package dev.medley.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the Prometheus text format, so tests can look series up by name and labels. */
public final class Prometheus {
  /** One line of the exposition: a series and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  private Prometheus(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      samples.add(sample(line));
    }
  }

  public static Prometheus parse(String text) {
    return new Prometheus(text);
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace < 0 || brace > space) {
      return new Sample(
          line.substring(0, space), Map.of(), Double.parseDouble(line.substring(space + 1).trim()));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    int i = brace + 1;
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // past ="
      while (line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\') {
          j++;
          c = line.charAt(j) == 'n' ? '\n' : line.charAt(j);
        }
        value.append(c);
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return new Sample(
        line.substring(0, brace),
        labels,
        Double.parseDouble(line.substring(i + 1).trim().split(" ")[0]));
  }

  /** The value of the series with exactly these labels, or null when there is none. */
  public Double value(String name, Map<String, String> labels) {
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().equals(labels)) {
        return s.value();
      }
    }
    return null;
  }

  /** Every series of {@code name} whose labels include {@code labels}. */
  public List<Sample> find(String name, Map<String, String> labels) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The {@code q} quantile of histogram {@code name} (without {@code _bucket}) for the series with
   * {@code labels}, interpolated within its bucket as PromQL's {@code histogram_quantile} does.
   */
  public double quantile(String name, Map<String, String> labels, double q) {
    List<Sample> buckets = new ArrayList<>();
    for (Sample s : find(name + "_bucket", labels)) {
      if (s.labels().size() == labels.size() + 1) {
        buckets.add(s);
      }
    }
    buckets.sort(java.util.Comparator.comparingDouble(s -> le(s)));
    double total = buckets.getLast().value();
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (Sample b : buckets) {
      if (b.value() >= rank) {
        double upper = le(b);
        return Double.isInfinite(upper)
            ? lower
            : lower + (upper - lower) * (rank - below) / (b.value() - below);
      }
      lower = le(b);
      below = b.value();
    }
    throw new AssertionError("no bucket holds rank " + rank);
  }

  private static double le(Sample s) {
    String le = s.labels().get("le");
    return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }

  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }
}
