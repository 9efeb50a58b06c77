package dev.medley.plan;

import dev.medley.config.ForwardSpec;
import dev.medley.config.HeaderNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A compiled name rule for forwarding or copying: exact names and prefixes, as an allow-list or
 * "all except". Header names are compared lower-case; query names as written. The names {@link
 * HeaderNames} protects are decided here, once, for every kind of rule.
 */
public final class NameFilter {
  /** What the names are: client headers going upstream, query parameters, or answer headers. */
  public enum Kind {
    FORWARD_HEADER,
    FORWARD_QUERY,
    RESPONSE_HEADER
  }

  private final Kind kind;
  private final boolean except;
  private final Set<String> exact;
  private final String[] prefixes;

  private NameFilter(Kind kind, boolean except, Set<String> exact, String[] prefixes) {
    this.kind = kind;
    this.except = except;
    this.exact = exact;
    this.prefixes = prefixes;
  }

  /** The rule for {@code names}, an allow-list unless {@code except}. */
  public static NameFilter of(Kind kind, List<String> names, boolean except) {
    Set<String> exact = new HashSet<>();
    List<String> prefixes = new ArrayList<>();
    for (String n : names) {
      String name = kind == Kind.FORWARD_QUERY ? n : n.toLowerCase(Locale.ROOT);
      if (name.endsWith("*")) {
        prefixes.add(name.substring(0, name.length() - 1));
      } else {
        exact.add(name);
      }
    }
    return new NameFilter(kind, except, Set.copyOf(exact), prefixes.toArray(String[]::new));
  }

  static NameFilter of(ForwardSpec.NameRule rule, Kind kind) {
    return of(kind, rule.names(), rule.except());
  }

  /** True when nothing can ever pass: an empty allow-list. */
  public boolean empty() {
    return !except && exact.isEmpty() && prefixes.length == 0;
  }

  /**
   * True when the list names exactly this many names and no prefix, so a caller may look the names
   * up instead of walking every header.
   */
  public boolean exactOnly() {
    return !except && prefixes.length == 0;
  }

  /** The exact names (lower-case for headers). */
  public Set<String> names() {
    return exact;
  }

  /** True when {@code name} (lower-case for headers) passes. */
  public boolean passes(String name) {
    switch (kind) {
      case FORWARD_HEADER -> {
        if (HeaderNames.neverForwarded(name)) {
          return false;
        }
        if (exact.contains(name)) {
          return !except;
        }
        if (HeaderNames.namedOnly(name)) {
          return false;
        }
      }
      case RESPONSE_HEADER -> {
        if (HeaderNames.neverReturned(name)) {
          return false;
        }
        if (exact.contains(name)) {
          return true;
        }
        if (HeaderNames.returnedOnlyNamed(name)) {
          return false;
        }
      }
      case FORWARD_QUERY -> {
        if (exact.contains(name)) {
          return !except;
        }
      }
    }
    boolean prefixed = false;
    for (String p : prefixes) {
      if (name.startsWith(p)) {
        prefixed = true;
        break;
      }
    }
    return except != prefixed;
  }
}
