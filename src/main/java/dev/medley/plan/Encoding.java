package dev.medley.plan;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of URI components (RFC 3986: everything but unreserved characters). */
final class Encoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Encoding() {}

  static String component(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      if (!unreserved(s.charAt(i))) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
        for (byte b : rest) {
          char c = (char) (b & 0xff);
          if (unreserved(c)) {
            sb.append(c);
          } else {
            sb.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
          }
        }
        break;
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static boolean unreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
