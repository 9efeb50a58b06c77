package dev.medley.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The traversal rules alone, without sockets: what a decoding server could resolve elsewhere is
 * refused.
 */
class PathSafetyTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        ".",
        "..",
        "../secret",
        "..\\secret",
        "a/../b",
        "a/./b",
        "%2e%2e",
        "%2E%2e%2Fx",
        "..%2Fx",
        "..%5Cx",
        "%252e%252e",
        "%25252e%25252e%25252fx",
        ".%2E",
        "x/..",
        "%c0%ae%c0%ae",
        "%C0%AFetc"
      })
  void rejectsDotSegmentsAtAnyDepthEvenWhenSlashesAreAllowed(String value) {
    assertThat(PathSafety.problem(value, true)).as(value).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a\\b", "a%2Fb", "a%5cb", "a%252Fb", "%25252F"})
  void rejectsSlashesAtAnyDepthUnlessAllowed(String value) {
    assertThat(PathSafety.problem(value, false)).as(value).contains("slash");
    assertThat(PathSafety.problem(value, true)).as(value).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "42",
        "a.b",
        "...",
        "..a",
        "a..",
        ".hidden",
        "100%",
        "100%25",
        "caf\u00e9",
        "%zz",
        "a%2",
        "v1.2.3"
      })
  void acceptsValuesNoServerResolvesElsewhere(String value) {
    assertThat(PathSafety.problem(value, false)).as(value).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"%252525252525252525252e"})
  void refusesEncodingsDeeperThanAnyLegitimateValue(String value) {
    assertThat(PathSafety.problem(value, false)).contains("more than");
  }
}
