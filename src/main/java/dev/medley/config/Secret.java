package dev.medley.config;

import java.util.Arrays;

/**
 * Key material read from the environment (an HMAC secret). Its bytes never appear in {@link
 * #toString()}, so a spec printed in a log or an error shows only the variable and the size.
 */
public final class Secret {
  private final String variable;
  private final byte[] bytes;

  Secret(String variable, byte[] bytes) {
    this.variable = variable;
    this.bytes = bytes.clone();
  }

  /** The environment variable it came from. */
  public String variable() {
    return variable;
  }

  /** A copy of the key bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int bits() {
    return bytes.length * 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "${env:" + variable + "} (" + bits() + " bits)";
  }
}
