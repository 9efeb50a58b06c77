package dev.medley.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Weak ETags: the same bytes give the same tag in any process (fixed known answers, so a replica
 * built elsewhere agrees), different bytes give different tags, and the weak comparison.
 */
@Tag("fast")
class EtagsTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theDigestIsMurmurHash3X64With128BitsAsPublished() {
    byte[] out = new byte[16];
    Murmur3.hash128(
        io.netty.buffer.Unpooled.wrappedBuffer(utf8("The quick brown fox jumps over the lazy dog")),
        0,
        43,
        out);
    assertThat(HexFormat.of().formatHex(out)).isEqualTo("6c1b07bc7bbc4be347939ac4a93c437a");
    Murmur3.hash128(io.netty.buffer.Unpooled.EMPTY_BUFFER, 0, 0, out);
    assertThat(HexFormat.of().formatHex(out)).isEqualTo("00000000000000000000000000000000");
  }

  @Test
  void everyLengthAgreesWithAnIndependentImplementation() {
    Random random = new Random(15);
    byte[] out = new byte[16];
    for (int length = 0; length <= 300; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      // a slice at an offset: the reader index and the array offset must not matter
      byte[] padded = new byte[length + 7];
      System.arraycopy(bytes, 0, padded, 5, length);
      Murmur3.hash128(io.netty.buffer.Unpooled.wrappedBuffer(padded), 5, length, out);
      byte[] expected = Hashing.murmur3_128().hashBytes(bytes).asBytes();
      assertThat(out).as("length %d", length).isEqualTo(expected);
      assertThat(Etags.of(bytes))
          .isEqualTo(
              "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(expected) + "\"");
    }
  }

  @Test
  void aPageHasTheSameTagInEveryProcessAndFromEitherForm() {
    String page = "{\"id\":\"1\",\"name\":\"Shoe\",\"price\":12,\"inStock\":true,\"reviews\":[]}";
    // Known answers: a replica (or a later version) must compute exactly these.
    assertThat(Etags.of(utf8(page))).isEqualTo("W/\"" + KNOWN_PAGE + "\"");
    assertThat(Etags.of(new byte[0])).isEqualTo("W/\"AAAAAAAAAAAAAAAAAAAAAA\"");
    assertThat(Etags.of(Buffer.buffer(page))).isEqualTo(Etags.of(utf8(page)));
    // a buffer whose bytes start past its reader index: only the readable bytes count
    Buffer sliced = Buffer.buffer("xx" + page).slice(2, 2 + page.length());
    assertThat(Etags.of(sliced)).isEqualTo(Etags.of(utf8(page)));
  }

  private static final String KNOWN_PAGE = "wikOI8E_oEjgtSekegZ3NQ";

  @Test
  void differentBytesGiveDifferentTags() {
    Set<String> tags = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      tags.add(Etags.of(utf8("{\"id\":" + i + ",\"name\":\"Shoe\"}")));
    }
    // one changed bit anywhere
    byte[] page = utf8("{\"id\":\"1\",\"name\":\"Shoe\",\"price\":12}");
    String base = Etags.of(page);
    for (int bit = 0; bit < page.length * 8; bit++) {
      page[bit / 8] ^= (byte) (1 << (bit % 8));
      tags.add(Etags.of(page));
      assertThat(Etags.of(page)).isNotEqualTo(base);
      page[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    assertThat(tags).hasSize(20_000 + page.length * 8);
  }

  @Test
  void weakComparisonIgnoresTheWeakPrefixAndReadsLists() {
    String tag = Etags.of(utf8("{}"));
    assertThat(Etags.matches(tag, tag)).isTrue();
    assertThat(Etags.matches(tag.substring(2), tag)).isTrue();
    assertThat(Etags.matches("\"other\", " + tag, tag)).isTrue();
    assertThat(Etags.matches("*", tag)).isTrue();
    assertThat(Etags.matches("\"other\"", tag)).isFalse();
  }
}
