package dev.medley.gateway;

import dev.medley.config.ConfigError;
import dev.medley.config.ConfigFolder;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.Src;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Where a gateway's config comes from, so it can be read again on reload: the file (or folder of
 * files, see {@link ConfigFolder}), the environment its {@code ${env:...}} references resolve in,
 * and port overrides from the command line (applied to every version of the config alike).
 *
 * @param file the YAML config, or a folder of them
 * @param env the environment for {@code ${env:NAME}}
 * @param port public port override, or null
 * @param adminPort admin port override, or null
 */
public record ConfigSource(Path file, Env env, Integer port, Integer adminPort) {

  /** A checked config: the plan when there were no errors, else every error sorted by location. */
  public record Checked(String text, Plan plan, List<ConfigError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /**
   * The config's files as read at one moment, in merge order: each file's name (as locations show
   * it) and text. A single-file config has one entry.
   */
  public record Snapshot(Map<String, String> texts) {
    public Snapshot {
      texts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    }

    /**
     * All the text, hashed into the plan version: a single file's text as it is (so its version is
     * the hash of the file), a folder's files each after a line naming it.
     */
    public String text() {
      if (texts.size() == 1) {
        return texts.values().iterator().next();
      }
      StringBuilder b = new StringBuilder();
      texts.forEach(
          (name, t) ->
              b.append("# medley-file: ").append(name).append('\n').append(t).append('\n'));
      return b.toString();
    }

    public String version() {
      return Gateway.version(text());
    }
  }

  public String name() {
    return file.toString();
  }

  /** True when the config is a folder of files. */
  public boolean isFolder() {
    return Files.isDirectory(file);
  }

  /** Reads the config's files now (blocking: call it off the event loop). */
  public Snapshot readNow() throws IOException {
    return new Snapshot(ConfigFolder.read(file));
  }

  /** Reads the config's files without blocking the caller (on a Vert.x worker thread). */
  public Future<Snapshot> read(Vertx vertx) {
    return vertx.executeBlocking(this::readNow, false);
  }

  /** The error reported when the config cannot be read. */
  public ConfigError unreadable(Throwable cause) {
    return new ConfigError(new Src(name(), 0, 0), "", "cannot read config: " + reason(cause));
  }

  /** The operating system's reason in words; Java's message for these is only the path. */
  static String reason(Throwable cause) {
    Throwable c =
        cause.getCause() != null && !(cause instanceof java.nio.file.FileSystemException)
            ? cause.getCause()
            : cause;
    // if/else rather than a guarded switch: the formatter (on Maven's JDK 17) cannot parse `when`
    // guards.
    if (c instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    } else if (c instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    } else if (c instanceof java.nio.file.FileSystemException e && e.getReason() != null) {
      return e.getReason();
    } else if (c instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text";
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  /** As {@link #check(Snapshot)} for the text of a single-file config. */
  public Checked check(String text) {
    return check(new Snapshot(Map.of(name(), text)));
  }

  /**
   * Loads and compiles the snapshot, structural and plan errors together. CPU work (YAML, CEL
   * compilation): call it off the event loop.
   */
  public Checked check(Snapshot files) {
    String text = files.text();
    ConfigLoader.Result loaded = new ConfigLoader(env).parseAll(files.texts());
    LinkedHashSet<ConfigError> errors = new LinkedHashSet<>(loaded.errors());
    Plan plan = null;
    if (loaded.spec() != null) {
      PlanCompiler.Result compiled =
          PlanCompiler.compile(loaded.spec().withPorts(port, adminPort), Gateway.version(text));
      errors.addAll(compiled.errors());
      plan = compiled.plan();
    }
    List<ConfigError> sorted = new ArrayList<>(errors);
    Comparator<ConfigError> byLine =
        Comparator.comparingInt((ConfigError e) -> e.at().line())
            .thenComparingInt(e -> e.at().column());
    // A folder's errors file by file; a single file's by line, as they always were.
    sorted.sort(
        files.texts().size() > 1
            ? Comparator.comparing((ConfigError e) -> e.at().file()).thenComparing(byLine)
            : byLine);
    return new Checked(text, sorted.isEmpty() ? plan : null, List.copyOf(sorted));
  }
}
