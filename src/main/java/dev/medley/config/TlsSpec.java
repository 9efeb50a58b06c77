package dev.medley.config;

/**
 * TLS material as PEM files. On {@code server.tls}: the listener's certificate chain and key
 * (required). On an upstream: a CA to trust instead of the JVM's, and a client certificate and key
 * for mutual TLS (both or neither).
 *
 * @param cert PEM certificate chain, leaf first
 * @param key PEM private key (PKCS#8 or PKCS#1) of {@code cert}
 * @param ca PEM CA certificates to trust (upstreams only); null trusts the JVM's defaults
 * @param at where it was declared
 */
public record TlsSpec(String cert, String key, String ca, Src at) {
  @Override
  public String toString() {
    return "TlsSpec[cert="
        + cert
        + ", key="
        + (key == null ? "none" : "<file>")
        + ", ca="
        + ca
        + "]";
  }
}
