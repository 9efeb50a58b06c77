package dev.medley.gateway;

import dev.medley.config.ConfigError;
import dev.medley.config.ServerSpec;
import dev.medley.config.Src;
import dev.medley.plan.Plan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reloads the config: reads the file, loads and compiles it on a worker thread beside the live plan,
 * and swaps it in atomically when it is valid. An invalid config (or one that moves a listener, which
 * needs a restart) is rejected with its located errors, logged, and the live plan keeps serving.
 * Reloads run one at a time, in the order asked.
 */
final class Reloader {
  /** The logger reload outcomes are written to. */
  static final String LOGGER = "dev.medley.reload";
  private static final Logger LOG = Logger.getLogger(LOGGER);

  private final Vertx vertx;
  private final ConfigSource source;
  private final PlanLeases leases;
  private final Function<Plan, Live> build;
  private Future<ReloadResult> last = Future.succeededFuture();
  private volatile String lastRejected;

  Reloader(Vertx vertx, ConfigSource source, PlanLeases leases, Function<Plan, Live> build) {
    this.vertx = vertx;
    this.source = source;
    this.leases = leases;
    this.build = build;
  }

  /** Reloads after any reload already running. */
  synchronized Future<ReloadResult> reload() {
    Future<ReloadResult> next = last.transform(x -> attempt());
    last = next;
    return next;
  }

  private Future<ReloadResult> attempt() {
    if (source == null) {
      String running = leases.current().version();
      return Future.succeededFuture(new ReloadResult(ReloadResult.Status.UNAVAILABLE, running, running, null, List.of()));
    }
    // Reading, compiling and connecting are all kept off the event loop.
    return vertx.executeBlocking(this::attemptNow, false);
  }

  private ReloadResult attemptNow() {
    String running = leases.current().version();
    String text;
    try {
      text = Files.readString(source.file(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return reject(running, null, List.of(source.unreadable(e)));
    }
    String attempted = Gateway.version(text);
    if (attempted.equals(running)) {
      return new ReloadResult(ReloadResult.Status.UNCHANGED, running, running, attempted, List.of());
    }
    ConfigSource.Checked checked = source.check(text);
    List<ConfigError> errors = new ArrayList<>(checked.errors());
    if (checked.ok()) {
      errors.addAll(listenerChanges(leases.current().plan().plan().spec().server(), checked.plan().spec().server()));
    }
    if (!errors.isEmpty()) {
      return reject(running, attempted, errors);
    }
    leases.swap(build.apply(checked.plan()));
    LOG.info(() -> "config " + source.name() + " reloaded: version " + attempted + " replaces " + running);
    return new ReloadResult(ReloadResult.Status.APPLIED, attempted, running, attempted, List.of());
  }

  /** The version of the last config text rejected, or null: the watcher does not try it again. */
  String lastRejected() {
    return lastRejected;
  }

  private ReloadResult reject(String running, String attempted, List<ConfigError> errors) {
    lastRejected = attempted;
    for (ConfigError e : errors) {
      LOG.warning("config rejected: " + e.format());
    }
    LOG.log(Level.WARNING, "config {0} rejected with {1} error(s); version {2} keeps serving",
        new Object[] {source.name(), errors.size(), running});
    return new ReloadResult(ReloadResult.Status.REJECTED, running, running, attempted, List.copyOf(errors));
  }

  /**
   * Listeners cannot move while they serve: a changed host or port is an error (restart to change
   * it) rather than a silent half-applied config.
   */
  private List<ConfigError> listenerChanges(ServerSpec running, ServerSpec next) {
    List<ConfigError> out = new ArrayList<>();
    compare(out, next, "server.host", running.host(), next.host());
    compare(out, next, "server.port", running.port(), next.port());
    compare(out, next, "server.admin.host", running.admin().host(), next.admin().host());
    compare(out, next, "server.admin.port", running.admin().port(), next.admin().port());
    return out;
  }

  private void compare(List<ConfigError> out, ServerSpec next, String key, Object running, Object changed) {
    if (!running.equals(changed)) {
      // At the key when it is written, else at the server section, else at the top of the file.
      Src at = next.locations().getOrDefault(key, next.locations().getOrDefault("server", new Src(source.name(), 1, 1)));
      out.add(new ConfigError(at, key, changed + " differs from the running " + running
          + " (expected " + running + ": a listener cannot move while it serves; restart to change it)"));
    }
  }
}
