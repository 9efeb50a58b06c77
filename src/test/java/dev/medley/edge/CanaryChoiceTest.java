package dev.medley.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.plan.Canary;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RoutePlan;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The canary selection function, over many keys: the share lands on the weight, and a key never
 * changes side.
 */
@Tag("fast")
class CanaryChoiceTest {
  private static RoutePlan route(String sticky) {
    String yaml =
        """
        version: 1
        upstreams:
          a: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            routes:
              GET /v2/products/{id}:
                canary: { to: "GET /v3/products/{id}", weight: 10%%%s }
                steps:
                  p: { upstream: a, path: "/p/{id}" }
              GET /v3/products/{id}:
                steps:
                  p: { upstream: a, path: "/p3/{id}" }
        """
            .formatted(sticky == null ? "" : ", sticky: \"" + sticky + "\"");
    ConfigLoader.Result loaded = new ConfigLoader(Env.of(Map.of())).parse(yaml, "canary.yaml");
    assertThat(loaded.errors()).isEmpty();
    PlanCompiler.Result compiled = PlanCompiler.compile(loaded.spec(), "test");
    assertThat(compiled.errors()).isEmpty();
    Plan plan = compiled.plan();
    return plan.routes().getFirst();
  }

  private static EdgeRequest request(String header, String remote) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (header != null) {
      headers.set("x-user", header);
    }
    return new EdgeRequest(
        "GET",
        "/v2/products/1",
        "",
        MultiMap.caseInsensitiveMultiMap(),
        headers,
        null,
        remote,
        "rid",
        0);
  }

  @Test
  void tenPercentOfTenThousandStickyKeysLandOnTheCanary() {
    RoutePlan route = route("header:x-user");
    CanaryChoice choice =
        new CanaryChoice(
            () -> {
              throw new AssertionError("a sticky key never rolls the dice");
            });
    int canary = 0;
    for (int i = 0; i < 10_000; i++) {
      if (choice.chooses(route.id(), route.canary(), request("user-" + i, "10.0.0.1"))) {
        canary++;
      }
    }
    assertThat(canary / 10_000.0).isBetween(0.085, 0.115);
  }

  @Test
  void stickyKeyAlwaysLandsOnTheSameSide() {
    RoutePlan route = route("header:x-user");
    CanaryChoice first = new CanaryChoice(() -> 0);
    CanaryChoice second = new CanaryChoice(() -> 9_999);
    for (int i = 0; i < 2_000; i++) {
      boolean side = first.chooses(route.id(), route.canary(), request("user-" + i, "10.0.0.1"));
      for (int repeat = 0; repeat < 5; repeat++) {
        assertThat(
                second.chooses(
                    route.id(), route.canary(), request("user-" + i, "10.0.0." + repeat)))
            .as("user-%d, request %d", i, repeat)
            .isEqualTo(side);
      }
    }
  }

  @Test
  void ipStickinessHashesTheClientAddress() {
    RoutePlan route = route("ip");
    CanaryChoice choice =
        new CanaryChoice(
            () -> {
              throw new AssertionError("the address is the key");
            });
    int canary = 0;
    for (int i = 0; i < 10_000; i++) {
      String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
      boolean side = choice.chooses(route.id(), route.canary(), request(null, ip));
      assertThat(choice.chooses(route.id(), route.canary(), request("someone-else", ip)))
          .isEqualTo(side);
      canary += side ? 1 : 0;
    }
    assertThat(canary / 10_000.0).isBetween(0.085, 0.115);
  }

  @Test
  void withoutStickinessTheInjectedRandomSourceDecides() {
    RoutePlan route = route(null);
    Random seeded = new Random(42);
    AtomicInteger rolls = new AtomicInteger();
    CanaryChoice choice =
        new CanaryChoice(
            () -> {
              rolls.incrementAndGet();
              return seeded.nextInt(CanaryChoice.BUCKETS);
            });
    int canary = 0;
    for (int i = 0; i < 10_000; i++) {
      canary +=
          choice.chooses(route.id(), route.canary(), request("same-user", "10.0.0.1")) ? 1 : 0;
    }
    assertThat(rolls.get()).isEqualTo(10_000);
    assertThat(canary / 10_000.0).isBetween(0.085, 0.115);
    // The boundary: buckets below the weight (10% = 1000 basis points) go to the canary.
    assertThat(new CanaryChoice(() -> 999).chooses(route.id(), route.canary(), request(null, "")))
        .isTrue();
    assertThat(new CanaryChoice(() -> 1000).chooses(route.id(), route.canary(), request(null, "")))
        .isFalse();
  }

  @Test
  void requestWithoutItsStickyKeyFallsBackToTheRandomSource() {
    RoutePlan route = route("header:x-user");
    assertThat(
            new CanaryChoice(() -> 0)
                .chooses(route.id(), route.canary(), request(null, "10.0.0.1")))
        .isTrue();
    assertThat(
            new CanaryChoice(() -> 9_999)
                .chooses(route.id(), route.canary(), request(null, "10.0.0.1")))
        .isFalse();
  }

  @Test
  void bucketsAreStableAcrossReleases() {
    // The hash is part of the contract: changing it would move users between sides on upgrade.
    assertThat(CanaryChoice.bucket("web GET /v2/products/{id}", "user-1")).isEqualTo(757);
    assertThat(CanaryChoice.bucket("web GET /v2/products/{id}", "user-2")).isEqualTo(182);
    assertThat(CanaryChoice.bucket("web GET /v2/products/{id}", "alice")).isEqualTo(6891);
    assertThat(CanaryChoice.bucket("web GET /v9/other", "alice"))
        .as("another route splits users independently")
        .isNotEqualTo(6891);
    Canary c = route("header:x-user").canary();
    assertThat(c.basisPoints()).isEqualTo(1_000);
    assertThat(c.sticky().toString()).isEqualTo("header:x-user");
  }
}
