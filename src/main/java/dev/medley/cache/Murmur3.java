package dev.medley.cache;

import io.netty.buffer.ByteBuf;

/**
 * MurmurHash3, the x64 128-bit variant with seed 0, written from its published reference (Austin
 * Appleby's {@code MurmurHash3_x64_128}): the digest behind weak ETags. Pure arithmetic over the
 * bytes, so every process and replica computes the same value for the same bytes; reads the body in
 * place (eight bytes at a time, little-endian) without copying it.
 *
 * <p>Not a cryptographic hash: why that is enough for a validator is in docs/security.md.
 */
final class Murmur3 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Murmur3() {}

  /**
   * Hashes {@code length} bytes of {@code buf} from {@code offset} (indices absolute, the reader
   * index untouched) and writes the 16-byte digest into {@code out}: the first half then the
   * second, each little-endian (the byte order of the reference implementation's output).
   */
  static void hash128(ByteBuf buf, int offset, int length, byte[] out) {
    long h1 = 0;
    long h2 = 0;
    int end = offset + (length & ~15);
    for (int i = offset; i < end; i += 16) {
      long k1 = buf.getLongLE(i);
      long k2 = buf.getLongLE(i + 8);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int rest = length & 15;
    if (rest > 0) {
      long k1 = 0;
      long k2 = 0;
      // The tail, byte by byte: bytes 8..14 into k2, bytes 0..7 into k1, as in the reference.
      for (int j = rest - 1; j >= 8; j--) {
        k2 ^= (buf.getByte(end + j) & 0xffL) << ((j - 8) * 8);
      }
      for (int j = Math.min(rest, 8) - 1; j >= 0; j--) {
        k1 ^= (buf.getByte(end + j) & 0xffL) << (j * 8);
      }
      if (rest > 8) {
        h2 ^= mixK2(k2);
      }
      h1 ^= mixK1(k1);
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    putLongLE(out, 0, h1);
    putLongLE(out, 8, h2);
  }

  private static long mixK1(long k1) {
    k1 *= C1;
    k1 = Long.rotateLeft(k1, 31);
    return k1 * C2;
  }

  private static long mixK2(long k2) {
    k2 *= C2;
    k2 = Long.rotateLeft(k2, 33);
    return k2 * C1;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static void putLongLE(byte[] out, int at, long v) {
    for (int i = 0; i < 8; i++) {
      out[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
