package dev.medley.config;

import java.util.Map;

/**
 * The users of an htpasswd file, read at load: user name to bcrypt hash ({@code $2a$}, {@code $2b$}
 * or {@code $2y$}; any other format is a load error). {@link #toString()} shows only how many users
 * there are.
 */
public final class Htpasswd {
  private final Map<String, String> hashes;
  private final int maxCost;

  Htpasswd(Map<String, String> hashes, int maxCost) {
    this.hashes = Map.copyOf(hashes);
    this.maxCost = maxCost;
  }

  /** The bcrypt hash of {@code user}, or null for an unknown user. */
  public String hash(String user) {
    return hashes.get(user);
  }

  /** The highest bcrypt cost in the file: an unknown user is checked at this cost too. */
  public int maxCost() {
    return maxCost;
  }

  public int size() {
    return hashes.size();
  }

  @Override
  public String toString() {
    return "htpasswd (" + hashes.size() + " users)";
  }
}
