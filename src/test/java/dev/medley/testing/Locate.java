package dev.medley.testing;

/**
 * Finds where a piece of text is in a config, as the {@code line:column} errors are reported at.
 */
public final class Locate {
  private Locate() {}

  /** {@code line:column} (1-based) of the first occurrence of {@code needle} in {@code text}. */
  public static String of(String text, String needle) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int col = lines[i].indexOf(needle);
      if (col >= 0) {
        return (i + 1) + ":" + (col + 1);
      }
    }
    throw new AssertionError("'" + needle + "' is not in the text");
  }
}
