package dev.medley.config;

import java.util.List;

/**
 * Response compression on the public listener ({@code server.compression:}), negotiated with the
 * client's {@code Accept-Encoding}.
 *
 * @param encodings the encodings offered, in the server's order of preference; {@code [br, gzip]}
 *     by default, {@code []} turns compression off. {@code br} is skipped where no Brotli native
 *     library loads
 * @param minSize smallest body compressed, 1KiB by default: below it compression costs more than it
 *     saves
 * @param gzipLevel gzip level 1 (fastest) to 9 (smallest), 6 by default
 * @param brotliQuality Brotli quality 0 to 11, 4 by default (fast enough for per-request use)
 */
public record CompressionSpec(
    List<String> encodings, long minSize, int gzipLevel, int brotliQuality) {
  public static final CompressionSpec DEFAULT =
      new CompressionSpec(List.of("br", "gzip"), 1024, 6, 4);
}
