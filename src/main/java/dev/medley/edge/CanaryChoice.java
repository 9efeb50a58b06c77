package dev.medley.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.plan.Canary;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * Decides whether one request goes to a route's canary. With a sticky key the choice is a stable
 * hash of the route and the key, so a client stays on one side for as long as the weight stays;
 * without one (or when the request lacks the key) it is a roll of the injected random source.
 */
public final class CanaryChoice {
  /** Buckets a share is counted in: one per hundredth of a percent. */
  public static final int BUCKETS = 10_000;

  private final IntSupplier randomBucket;

  /**
   * @param randomBucket a uniformly random number from 0 to {@link #BUCKETS} - 1 per call
   */
  public CanaryChoice(IntSupplier randomBucket) {
    this.randomBucket = randomBucket;
  }

  /** True when {@code req}, matched to {@code routeId}, should be served by {@code canary}. */
  public boolean chooses(String routeId, Canary canary, EdgeRequest req) {
    String key = key(canary.sticky(), req);
    int bucket = key == null ? randomBucket.getAsInt() : bucket(routeId, key);
    return bucket < canary.basisPoints();
  }

  /** The sticky key of the request, or null when there is none or the request lacks it. */
  static String key(Canary.Sticky sticky, EdgeRequest req) {
    if (sticky == null) {
      return null;
    }
    return switch (sticky.kind()) {
      case IP -> req.remoteAddress().isEmpty() ? null : req.remoteAddress();
      case HEADER -> req.headers().get(sticky.name());
      case CLAIM -> {
        JsonNode v = req.claims() == null ? null : req.claims().get(sticky.name());
        yield v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
      }
    };
  }

  /**
   * The bucket of a sticky key: FNV-1a over the route id and the key, finished with the MurMur3
   * 64-bit mixer so that keys differing in one character spread evenly. Seeding with the route id
   * keeps the canary populations of different routes independent.
   */
  public static int bucket(String routeId, String key) {
    long h = 0xcbf29ce484222325L;
    h = fnv(h, routeId.getBytes(StandardCharsets.UTF_8));
    h = fnv(h, new byte[] {0});
    h = fnv(h, key.getBytes(StandardCharsets.UTF_8));
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) Long.remainderUnsigned(h, BUCKETS);
  }

  private static long fnv(long h, byte[] bytes) {
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
