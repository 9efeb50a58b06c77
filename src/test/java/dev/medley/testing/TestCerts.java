package dev.medley.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority made at test time: it issues server certificates for 127.0.0.1
 * and client certificates, written as PEM files into a temporary directory. Nothing here is ever
 * committed; every run has fresh keys.
 */
public final class TestCerts {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  static {
    // BouncyCastle is on the test classpath only. Netty probes for it (and loads its provider, over
    // a
    // second on a busy machine) the first time it wraps a TLS engine; do that here, off the event
    // loop.
    io.netty.handler.ssl.util.BouncyCastleUtil.isBcProvAvailable();
  }

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final String name;

  /** PEM files of one issued certificate. */
  public record Issued(Path cert, Path key) {}

  public TestCerts(Path dir, String name) {
    this.dir = dir;
    this.name = name;
    try {
      caKeys = keys();
      X500Name subject = new X500Name("CN=" + name + " test CA");
      var b =
          new JcaX509v3CertificateBuilder(
              subject, serial(), from(), until(), subject, caKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      ca = sign(b, caKeys);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate as a PEM file, for trust settings. */
  public Path caPem() {
    return write(name + "-ca.pem", pem(ca));
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  public Issued server(String file) {
    return issue(
        file,
        "127.0.0.1",
        KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost")
            }));
  }

  /** A client certificate, for mutual TLS. */
  public Issued client(String file) {
    return issue(file, "medley-gateway", KeyPurposeId.id_kp_clientAuth, null);
  }

  /** A JDK SSL context that trusts this CA, for test clients. */
  public SSLContext trustingContext() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Issued issue(String file, String cn, KeyPurposeId purpose, GeneralNames san) {
    try {
      KeyPair kp = keys();
      var b =
          new JcaX509v3CertificateBuilder(
              new X500Name("CN=" + name + " test CA"),
              serial(),
              from(),
              until(),
              new X500Name("CN=" + cn),
              kp.getPublic());
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, false, san);
      }
      X509Certificate cert = sign(b, caKeys);
      return new Issued(
          write(file + ".pem", pem(cert)), write(file + "-key.pem", pem(kp.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static Date from() {
    return Date.from(Instant.now().minus(1, ChronoUnit.DAYS));
  }

  private static Date until() {
    return Date.from(Instant.now().plus(2, ChronoUnit.DAYS));
  }

  private static String pem(Object o) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(
          o instanceof java.security.PrivateKey k
              ? new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", k.getEncoded())
              : o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private Path write(String file, String text) {
    try {
      return Files.writeString(dir.resolve(file), text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
