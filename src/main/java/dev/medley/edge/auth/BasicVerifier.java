package dev.medley.edge.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.medley.config.BasicSpec;
import dev.medley.config.Htpasswd;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Checks a user name and password against the bcrypt hashes of an htpasswd file. An unknown user
 * still costs one bcrypt verification (against a dummy hash of the file's highest cost), so the
 * time of a refusal does not tell which users exist; bcrypt itself compares without an early
 * return. A verification costs tens of milliseconds of CPU by design, so {@link #check} blocks and
 * runs on a worker thread; credentials that verified are remembered for a few minutes, keyed by an
 * HMAC under a per-process random key (never the password itself), so a client sending the same
 * credentials on every request does not pay bcrypt each time. Failures are never remembered. A
 * config reload builds a new verifier, which forgets everything.
 */
public final class BasicVerifier {
  private static final Duration REMEMBER = Duration.ofMinutes(5);

  private final Htpasswd users;
  private final String realm;
  private final String dummyHash;
  private final byte[] cacheKey = new byte[32];
  private final Cache<String, Boolean> verified =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(REMEMBER).build();

  public BasicVerifier(BasicSpec spec) {
    this.users = spec.users();
    this.realm = spec.realm();
    // A well-formed bcrypt string that matches no password; bcrypt runs in full before comparing.
    this.dummyHash =
        String.format("$2b$%02d$", users.maxCost())
            + "Q0m4mEdLeYdUmMyHaShNoPaSsWoRdMaTcHeSiTaTaLlXyZ0123456";
    new SecureRandom().nextBytes(cacheKey);
  }

  public String realm() {
    return realm;
  }

  /**
   * True when these credentials verified recently: no bcrypt needed, callable on the event loop.
   */
  public boolean remembered(String user, String password) {
    return verified.getIfPresent(fingerprint(user, password)) != null;
  }

  /** Runs bcrypt: blocks for tens of milliseconds, so never call it on an event loop. */
  public boolean check(String user, String password) {
    String hash = users.hash(user);
    boolean ok;
    try {
      ok = BCrypt.checkpw(password, hash == null ? dummyHash : hash) && hash != null;
    } catch (IllegalArgumentException e) {
      ok = false; // e.g. a password longer than bcrypt's 72 bytes: never a match
    }
    if (ok) {
      verified.put(fingerprint(user, password), Boolean.TRUE);
    }
    return ok;
  }

  private String fingerprint(String user, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
