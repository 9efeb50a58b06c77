package dev.medley.edge.limit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.edge.EdgeRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One compiled rate-limit tier: which bucket a request draws from and that bucket's shape.
 *
 * @param name the policy name in {@code RateLimit-Policy} and {@code RateLimit}
 * @param scope identifies where the tier was declared, so equal keys in two tiers never share a
 *     bucket
 * @param key what a bucket is per
 * @param keyName the claim or lower-case header name for {@link Key#CLAIM} and {@link Key#HEADER}
 * @param limit the bucket's shape
 */
public record Tier(String name, String scope, Key key, String keyName, BucketLimit limit) {
  /** What a bucket is per. */
  public enum Key {
    /** A verified claim's value; requests without it share one bucket. */
    CLAIM,
    /** A request header's value; requests without it share one bucket. */
    HEADER,
    /** The client's IP address as seen by the listener. */
    IP,
    /** One bucket for everyone. */
    GLOBAL
  }

  /** Value shared by the requests that lack the claim or header a tier is keyed on. */
  static final String ABSENT = "-";

  private static final int LONGEST_KEPT_KEY = 128;

  /**
   * Parses {@code claim.NAME}, {@code header.NAME}, {@code ip} or {@code global} (checked at load).
   */
  public static Tier of(String name, String scope, String key, BucketLimit limit) {
    if (key.startsWith("claim.")) {
      return new Tier(name, scope, Key.CLAIM, key.substring(6), limit);
    }
    if (key.startsWith("header.")) {
      return new Tier(name, scope, Key.HEADER, key.substring(7), limit);
    }
    return new Tier(name, scope, key.equals("ip") ? Key.IP : Key.GLOBAL, null, limit);
  }

  /** True when the key can only be read after the token is verified. */
  public boolean needsClaims() {
    return key == Key.CLAIM;
  }

  /** The bucket this request draws from. */
  String bucket(EdgeRequest req) {
    String value =
        switch (key) {
          case CLAIM -> claim(req.claims());
          case HEADER -> orAbsent(req.headers().get(keyName));
          case IP -> req.remoteAddress();
          case GLOBAL -> "";
        };
    // Client-chosen values can be long: keep buckets small by hashing those.
    return scope + '\n' + (value.length() > LONGEST_KEPT_KEY ? sha256(value) : value);
  }

  private String claim(JsonNode claims) {
    JsonNode v = claims == null ? null : claims.get(keyName);
    if (v == null || v.isNull()) {
      return ABSENT;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static String orAbsent(String s) {
    return s == null ? ABSENT : s;
  }

  /**
   * This tier in {@code RateLimit-Policy}: quota {@code q} = burst, refilled in full over window
   * {@code w} seconds.
   */
  String policy() {
    long window =
        Math.max(1, (long) Math.ceil(limit.burst() * (double) limit.intervalNanos() / 1e9));
    return "\"" + name + "\";q=" + limit.burst() + ";w=" + window;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
