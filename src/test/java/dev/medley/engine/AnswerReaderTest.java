package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.medley.plan.StepPlan;
import dev.medley.testing.Plans;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** How a step reads its upstream's answer for each {@code responseType}, without sockets. */
@Tag("fast")
class AnswerReaderTest {
  private static StepPlan step(String type) {
    return Plans.route(
            "GET /x:\n  steps:\n    s: { upstream: a, path: /s, responseType: " + type + " }\n")
        .steps()[0];
  }

  private static UpstreamResponse answer(String contentType, String body) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (contentType != null) {
      h.set("content-type", contentType);
    }
    return new UpstreamResponse(200, h, Buffer.buffer(body));
  }

  @Test
  void autoParsesJsonReadsTextAndRefusesTheRest() {
    StepPlan auto = step("auto");
    assertThat(AnswerReader.read(auto, answer("application/json", "{\"a\":1}")).toString())
        .isEqualTo("{\"a\":1}");
    assertThat(AnswerReader.read(auto, answer(null, "[1]")).toString()).isEqualTo("[1]");
    // text/plain that looks like JSON stays text in auto mode: the type decides, not the bytes.
    assertThat(AnswerReader.read(auto, answer("text/plain", "123")).textValue()).isEqualTo("123");
    assertThatThrownBy(() -> AnswerReader.read(auto, answer("image/png", "\u0089PNG")))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining("image/png")
        .hasMessageContaining("a proxy route passes any type through");
  }

  @Test
  void textReadsAnyTextualBodyAndRefusesBinary() {
    StepPlan text = step("text");
    assertThat(AnswerReader.read(text, answer("application/json", "{\"a\":1}")).textValue())
        .isEqualTo("{\"a\":1}");
    assertThat(AnswerReader.read(text, answer(null, "hello")).textValue()).isEqualTo("hello");
    assertThatThrownBy(() -> AnswerReader.read(text, answer("application/octet-stream", "x")))
        .hasMessageContaining("application/octet-stream");
  }

  @Test
  void jsonKeepsParsingWhateverTheTypeAndNamesItWhenItCannot() {
    StepPlan json = step("json");
    // Upstreams that send JSON as text/plain keep working as before.
    assertThat(AnswerReader.read(json, answer("text/plain", "{\"a\":1}")).toString())
        .isEqualTo("{\"a\":1}");
    assertThatThrownBy(() -> AnswerReader.read(json, answer("text/html", "<html>")))
        .hasMessageContaining("not JSON (text/html)")
        .hasMessageContaining("responseType: text");
  }
}
