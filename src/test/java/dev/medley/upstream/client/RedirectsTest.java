package dev.medley.upstream.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.time.ManualClock;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import dev.medley.upstream.resilience.InstanceSet;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private static UpstreamResponse redirect(String location) {
    return new UpstreamResponse(
        302, MultiMap.caseInsensitiveMultiMap().set("location", location), null);
  }

  @Test
  void everyHopGetsOnlyWhatIsLeftOfTheOneAttemptTimeout() {
    ManualClock clock = new ManualClock();
    Redirects r = new Redirects("a", 3, clock);
    List<Duration> given = new ArrayList<>();
    long start = clock.nanoTime();
    clock.advance(Duration.ofMillis(30)); // the first exchange took 30ms
    Future<UpstreamResponse> f =
        r.follow(
            redirect("/b"),
            PLAIN,
            "GET",
            "/a",
            MultiMap.caseInsensitiveMultiMap(),
            null,
            start,
            Duration.ofMillis(100).toNanos(),
            UpstreamException.Kind.TIMEOUT,
            (m, u, h, b, t) -> {
              given.add(t);
              clock.advance(Duration.ofMillis(60)); // each hop takes 60ms
              return Future.succeededFuture(redirect(u.equals("/b") ? "/c" : "/d"));
            });
    assertThat(given).containsExactly(Duration.ofMillis(70), Duration.ofMillis(10));
    assertThat(f.failed()).isTrue();
    assertThat(((UpstreamException) f.cause()).kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
    assertThat(f.cause().getMessage()).contains("did not answer within 100ms");
  }
}
