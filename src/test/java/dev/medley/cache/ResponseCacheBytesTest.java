package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A stale answer is marked partial without parsing the stored body again. */
@Tag("fast")
class ResponseCacheBytesTest {
  private static String partial(String body) {
    return new String(
        ResponseCache.withPartial(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void theMemberIsAddedLastToAnObject() {
    assertThat(partial("{\"name\":\"Shoe\"}")).isEqualTo("{\"name\":\"Shoe\",\"_partial\":true}");
    assertThat(partial("{}")).isEqualTo("{\"_partial\":true}");
    assertThat(partial(" { } \n")).isEqualTo(" { \"_partial\":true}");
    assertThat(partial("{\"a\":{\"b\":1}}\n")).isEqualTo("{\"a\":{\"b\":1},\"_partial\":true}");
  }

  @Test
  void anythingButAnObjectIsLeftAsStored() {
    assertThat(partial("[1,2]")).isEqualTo("[1,2]");
    assertThat(partial("\"text\"")).isEqualTo("\"text\"");
    assertThat(partial("")).isEmpty();
  }
}
