package dev.medley.config;

import java.nio.file.Path;

/**
 * Checks at load that files a config names (keys, certificates) can be read, so start-up never
 * finds out late.
 */
final class FileChecks {
  private FileChecks() {}

  static void checkReadable(YNode n, String file) {
    if (file == null || n == null) {
      return;
    }
    Path p = Path.of(file);
    if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
      n.error(
          "cannot read file '"
              + file
              + "' (expected a readable file; relative paths start from the working directory)");
    }
  }
}
