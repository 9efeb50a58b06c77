package dev.medley.gateway;

import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.Src;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Where a gateway's config comes from, so it can be read again on reload: the file, the
 * environment its {@code ${env:...}} references resolve in, and port overrides from the command
 * line (applied to every version of the file alike).
 *
 * @param file the YAML config
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

  public String name() {
    return file.toString();
  }

  /** Reads the file without blocking the caller (Vert.x reads it on a worker thread). */
  public Future<String> read(Vertx vertx) {
    return vertx.fileSystem().readFile(file.toString()).map(b -> b.toString(StandardCharsets.UTF_8));
  }

  /** The error reported when the file cannot be read. */
  public ConfigError unreadable(Throwable cause) {
    return new ConfigError(new Src(name(), 0, 0), "", "cannot read config: " + reason(cause));
  }

  /** The operating system's reason in words; Java's message for these is only the path. */
  static String reason(Throwable cause) {
    Throwable c = cause.getCause() != null && !(cause instanceof java.nio.file.FileSystemException) ? cause.getCause() : cause;
    return switch (c) {
      case java.nio.file.NoSuchFileException e -> "no such file";
      case java.nio.file.AccessDeniedException e -> "permission denied";
      case java.nio.file.FileSystemException e when e.getReason() != null -> e.getReason();
      case java.nio.charset.CharacterCodingException e -> "not UTF-8 text";
      default -> c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    };
  }

  /**
   * Loads and compiles {@code text}, structural and plan errors together. CPU work (YAML, CEL
   * compilation): call it off the event loop.
   */
  public Checked check(String text) {
    ConfigLoader.Result loaded = new ConfigLoader(env).parse(text, name());
    LinkedHashSet<ConfigError> errors = new LinkedHashSet<>(loaded.errors());
    Plan plan = null;
    if (loaded.spec() != null) {
      PlanCompiler.Result compiled = PlanCompiler.compile(loaded.spec().withPorts(port, adminPort), Gateway.version(text));
      errors.addAll(compiled.errors());
      plan = compiled.plan();
    }
    List<ConfigError> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparingInt((ConfigError e) -> e.at().line()).thenComparingInt(e -> e.at().column()));
    return new Checked(text, sorted.isEmpty() ? plan : null, List.copyOf(sorted));
  }
}
