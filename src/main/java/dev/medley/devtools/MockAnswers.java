package dev.medley.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.ExperienceSpec;
import dev.medley.config.MedleySpec;
import dev.medley.config.RouteSpec;
import dev.medley.config.StepSpec;
import dev.medley.upstream.UpstreamRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The answers of {@code medley mock}: each upstream call is answered with the {@code example} of
 * the step that makes it (found by upstream, step name and path), or {@code {}} when the step
 * declares none; a batch call gets its example as the one result under {@code resultsAt}. Every
 * answer can be slowed by a fixed latency, and a share of them replaced by a 503, to try a frontend
 * against a slow or failing backend.
 */
final class MockAnswers implements FakeUpstreams.Answers {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** A step's calls: to which upstream, under which name, on which paths; and the example. */
  private record Source(
      String upstream, String step, Pattern path, Pattern batchPath, StepSpec spec) {}

  private final List<Source> sources = new ArrayList<>();
  private final Duration latency;
  private final double failureRate;
  private final RandomGenerator random;

  MockAnswers(MedleySpec spec, Duration latency, double failureRate, RandomGenerator random) {
    this.latency = latency;
    this.failureRate = failureRate;
    this.random = random;
    for (ExperienceSpec e : spec.experiences().values()) {
      for (RouteSpec r : e.routes()) {
        for (StepSpec s : r.steps().values()) {
          sources.add(
              new Source(
                  s.upstream(),
                  s.name(),
                  template(s.path().value()),
                  s.batch() == null ? null : template(s.batch().path().value()),
                  s));
        }
      }
    }
  }

  /** A template's literal parts must match; each {placeholder} matches anything. */
  private static Pattern template(String path) {
    StringBuilder re = new StringBuilder();
    for (String part : path.split("\\{[^}]*}", -1)) {
      if (!re.isEmpty() || path.startsWith("{")) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re + "(\\?.*)?");
  }

  @Override
  public Answer answer(String upstream, UpstreamRequest r) {
    Answer a = Answer.ok(body(upstream, r)).withDelay(latency);
    if (failureRate > 0 && random.nextDouble() < failureRate) {
      return new Answer(
          503,
          Map.of("content-type", "application/problem+json"),
          JSON.objectNode().put("title", "failure injected by medley mock").put("status", 503),
          latency,
          null);
    }
    return a;
  }

  private JsonNode body(String upstream, UpstreamRequest r) {
    Source named = null;
    for (Source s : sources) {
      if (!s.upstream().equals(upstream) || !s.step().equals(r.step())) {
        continue;
      }
      if (s.batchPath() != null
          && s.batchPath().matcher(r.pathAndQuery()).matches()
          && s.spec().example() != null) {
        return batch(s.spec());
      }
      if (s.path().matcher(r.pathAndQuery()).matches() && s.spec().example() != null) {
        return s.spec().example();
      }
      named = named == null && s.spec().example() != null ? s : named;
    }
    return named != null ? named.spec().example() : JSON.objectNode();
  }

  /** The batch answer: the example as the only result, at {@code resultsAt}. */
  private static JsonNode batch(StepSpec s) {
    JsonNode results = JSON.arrayNode().add(s.example());
    String at = s.batch().resultsAt();
    if (at == null || at.isEmpty()) {
      return results;
    }
    ObjectNode root = JSON.objectNode();
    ObjectNode cur = root;
    String[] parts = at.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      cur = cur.putObject(parts[i]);
    }
    cur.set(parts[parts.length - 1], results);
    return root;
  }
}
