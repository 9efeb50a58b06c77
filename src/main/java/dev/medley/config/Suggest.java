package dev.medley.config;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" for misspelt names: the closest known name by edit distance, when it is close
 * enough to be a typo (at most a third of the name's length, and at most 3 edits).
 */
public final class Suggest {
  private Suggest() {}

  /** The closest of {@code known} to {@code name}, or null when none is plausibly meant. */
  public static String closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = name.toLowerCase(Locale.ROOT);
    for (String k : known) {
      int d = distance(lower, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    int allowed = Math.min(3, Math.max(1, name.length() / 3));
    return best != null && bestDistance > 0 && bestDistance <= allowed ? best : null;
  }

  /** {@code " (did you mean 'x'?)"}, or "" when nothing is close. */
  public static String hint(String name, Collection<String> known) {
    String c = closest(name, known);
    return c == null ? "" : " (did you mean '" + c + "'?)";
  }

  /** Optimal string alignment distance: a swap of two neighbours counts as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
