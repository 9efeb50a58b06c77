package dev.medley.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code auth.basic} and its htpasswd file. Only bcrypt hashes are accepted: the formats
 * {@code htpasswd} also writes (Apache MD5, SHA-1, crypt, plain text) are fast to brute-force, so a
 * line using one is a load error located at that line of the file.
 */
final class BasicAuthReader {
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
  private static final Pattern REALM = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1,64}");

  private BasicAuthReader() {}

  static BasicSpec read(YNode n) {
    YNode.Fields f = n.fields("htpasswdFile", "realm");
    f.required("htpasswdFile");
    String file = f.string("htpasswdFile", null);
    String realm = f.string("realm", "medley");
    if (!REALM.matcher(realm).matches()) {
      f.node("realm")
          .error(
              "'"
                  + realm
                  + "' (expected 1 to 64 printable ASCII characters without quotes or backslashes)");
    }
    Htpasswd users = new Htpasswd(Map.of(), 10);
    if (file != null) {
      FileChecks.checkReadable(f.node("htpasswdFile"), file);
      users = users(f.node("htpasswdFile"), file);
    }
    return new BasicSpec(file, realm, users, n.at());
  }

  private static Htpasswd users(YNode where, String file) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return new Htpasswd(Map.of(), 10); // checkReadable has reported it
    }
    Map<String, String> hashes = new LinkedHashMap<>();
    int maxCost = 4;
    boolean refused = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Src at = new Src(file, i + 1, 1);
      int colon = line.indexOf(':');
      if (colon <= 0) {
        where.problems().add(at, where.path(), "line " + (i + 1) + " (expected user:bcrypt-hash)");
        continue;
      }
      String user = line.substring(0, colon);
      String hash = line.substring(colon + 1);
      Matcher m = BCRYPT.matcher(hash);
      if (!m.matches()) {
        refused = true;
        where
            .problems()
            .add(
                at,
                where.path(),
                "line "
                    + (i + 1)
                    + ", user '"
                    + user
                    + "': "
                    + format(hash)
                    + " is not accepted (expected a bcrypt hash starting $2a$, $2b$ or $2y$;"
                    + " create it with htpasswd -B)");
        continue;
      }
      int cost = Integer.parseInt(m.group(1));
      if (cost < 4 || cost > 31) {
        where
            .problems()
            .add(
                at, where.path(), "line " + (i + 1) + ": bcrypt cost " + cost + " (expected 4-31)");
        continue;
      }
      if (hashes.putIfAbsent(user, hash) != null) {
        where
            .problems()
            .add(at, where.path(), "line " + (i + 1) + ": user '" + user + "' appears twice");
      }
      maxCost = Math.max(maxCost, cost);
    }
    if (hashes.isEmpty() && !refused) {
      where.error("no users in '" + file + "' (expected lines of user:bcrypt-hash)");
    }
    return new Htpasswd(hashes, maxCost);
  }

  /** Names a hash format without echoing the hash. */
  private static String format(String hash) {
    if (hash.startsWith("$apr1$")) {
      return "an Apache MD5 ($apr1$) hash";
    }
    if (hash.startsWith("{SHA}")) {
      return "a SHA-1 ({SHA}) hash";
    }
    if (hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$")) {
      return "a crypt(3) " + hash.substring(0, 3) + " hash";
    }
    if (hash.startsWith("$2")) {
      return "a malformed bcrypt hash";
    }
    return "a crypt or plain-text password";
  }
}
