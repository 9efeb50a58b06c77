package dev.medley.upstream.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.upstream.resilience.InstanceSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which redirect targets count as the same origin as the instance called. */
@Tag("fast")
class RedirectsTest {
  private static final InstanceSet.Instance PLAIN =
      new InstanceSet.Instance("api.internal", 8080, false, "/v1", "api.internal:8080");
  private static final InstanceSet.Instance TLS =
      new InstanceSet.Instance("api.internal", 443, true, "", "api.internal:443");

  @Test
  void relativeAndAbsoluteSameOriginTargetsResolveToPathAndQuery() {
    assertThat(Redirects.target(PLAIN, "/v1/items/1", "/v1/items/2?x=1"))
        .isEqualTo("/v1/items/2?x=1");
    assertThat(Redirects.target(PLAIN, "/v1/items/1", "2")).isEqualTo("/v1/items/2");
    assertThat(Redirects.target(PLAIN, "/v1/items/1", "http://API.internal:8080/v2/items/1"))
        .isEqualTo("/v2/items/1");
    assertThat(Redirects.target(TLS, "/a", "https://api.internal/b")).isEqualTo("/b");
  }

  @Test
  void anotherSchemeHostPortOrUserInfoIsAnotherOrigin() {
    assertThat(Redirects.target(PLAIN, "/a", "https://api.internal:8080/a")).isNull();
    assertThat(Redirects.target(PLAIN, "/a", "http://api.internal/a")).isNull();
    assertThat(Redirects.target(PLAIN, "/a", "//evil.example/a")).isNull();
    assertThat(Redirects.target(PLAIN, "/a", "http://evil.example:8080/a")).isNull();
    assertThat(Redirects.target(PLAIN, "/a", "http://user@api.internal:8080/a")).isNull();
    assertThat(Redirects.target(TLS, "/a", "http://api.internal:443/a")).isNull();
  }

  @Test
  void missingOrBrokenLocationIsNoTarget() {
    assertThat(Redirects.target(PLAIN, "/a", null)).isNull();
    assertThat(Redirects.target(PLAIN, "/a", " ")).isNull();
    assertThat(Redirects.target(PLAIN, "/a", "http://[broken/a")).isNull();
  }

  @Test
  void onlyTheFiveRedirectStatusesAreFollowed() {
    assertThat(Redirects.followed(301)).isTrue();
    assertThat(Redirects.followed(308)).isTrue();
    assertThat(Redirects.followed(300)).isFalse();
    assertThat(Redirects.followed(304)).isFalse();
    assertThat(Redirects.followed(200)).isFalse();
  }
}
