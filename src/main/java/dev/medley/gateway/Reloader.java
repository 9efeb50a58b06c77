package dev.medley.gateway;

import dev.medley.config.ConfigError;
import dev.medley.config.ServerSpec;
import dev.medley.config.Src;
import dev.medley.plan.Plan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reloads the config: reads the file, loads and compiles it on a worker thread beside the live
 * plan, and swaps it in atomically when it is valid. An invalid config (or one that moves a
 * listener, which needs a restart) is rejected with its located errors, logged, and the live plan
 * keeps serving. A folder config is reloaded file by file: an invalid file keeps its last good
 * version serving while the other files' valid changes apply, and the result says which files were
 * held back. Reloads run one at a time, in the order asked.
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

  /**
   * Each file's text in the plan serving now (folder configs: what an invalid file goes back to).
   */
  private volatile Map<String, String> lastGood = Map.of();

  private volatile List<String> held = List.of();
  private volatile List<ConfigError> heldErrors = List.of();

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
      return Future.succeededFuture(
          new ReloadResult(ReloadResult.Status.UNAVAILABLE, running, running, null, List.of()));
    }
    // Reading, compiling and connecting are all kept off the event loop.
    return vertx.executeBlocking(this::attemptNow, false);
  }

  private ReloadResult attemptNow() {
    String running = leases.current().version();
    ConfigSource.Snapshot files;
    try {
      files = source.readNow();
    } catch (IOException e) {
      return reject(running, null, List.of(source.unreadable(e)));
    }
    String attempted = files.version();
    if (attempted.equals(running)) {
      held = List.of();
      heldErrors = List.of();
      return new ReloadResult(
          ReloadResult.Status.UNCHANGED, running, running, attempted, List.of());
    }
    ConfigSource.Checked checked = source.check(files);
    List<ConfigError> errors = new ArrayList<>(checked.errors());
    if (checked.ok()) {
      errors.addAll(
          listenerChanges(
              leases.current().plan().plan().spec().server(), checked.plan().spec().server()));
    }
    if (!errors.isEmpty()) {
      return source.isFolder()
          ? holdBack(running, attempted, files, errors)
          : reject(running, attempted, errors);
    }
    return apply(running, attempted, files, checked, List.of(), List.of());
  }

  private ReloadResult apply(
      String running,
      String attempted,
      ConfigSource.Snapshot files,
      ConfigSource.Checked checked,
      List<String> heldBack,
      List<ConfigError> heldErrors) {
    String version = checked.plan().version();
    lastGood = files.texts();
    this.held = heldBack;
    this.heldErrors = heldErrors;
    if (version.equals(running)) {
      return new ReloadResult(
          ReloadResult.Status.UNCHANGED, running, running, attempted, heldErrors, heldBack);
    }
    leases.swap(build.apply(checked.plan()));
    if (heldBack.isEmpty()) {
      LOG.info(
          () ->
              "config " + source.name() + " reloaded: version " + version + " replaces " + running);
    } else {
      heldErrors.forEach(e -> LOG.warning("config file held back: " + e.format()));
      LOG.log(
          Level.WARNING,
          "config {0} reloaded in part: version {1} replaces {2}; {3} keep their last good version",
          new Object[] {source.name(), version, running, heldBack});
    }
    return new ReloadResult(
        ReloadResult.Status.APPLIED, version, running, attempted, heldErrors, heldBack);
  }

  /**
   * A folder with invalid files: each file with an error goes back to its last good version (a new
   * file is left out), repeatedly while that uncovers errors in further files (a file that needed
   * what a held-back file removed), and the rest applies. Errors in no file, or a folder that only
   * compiles with nothing changed, reject the reload as a whole.
   */
  private ReloadResult holdBack(
      String running, String attempted, ConfigSource.Snapshot files, List<ConfigError> errors) {
    Map<String, String> trial = new LinkedHashMap<>(files.texts());
    Set<String> heldBack = new TreeSet<>();
    List<ConfigError> found = new ArrayList<>(errors);
    List<ConfigError> current = errors;
    for (int round = 0; round <= files.texts().size(); round++) {
      Set<String> bad = new TreeSet<>();
      current.forEach(
          e -> {
            if (trial.containsKey(e.at().file()) && !heldBack.contains(e.at().file())) {
              bad.add(e.at().file());
            }
          });
      if (bad.isEmpty()) {
        return reject(running, attempted, found);
      }
      for (String f : bad) {
        heldBack.add(f);
        String good = lastGood.get(f);
        if (good == null) {
          trial.remove(f);
        } else {
          trial.put(f, good);
        }
      }
      if (trial.isEmpty()) {
        return reject(running, attempted, found);
      }
      ConfigSource.Snapshot partial = new ConfigSource.Snapshot(trial);
      ConfigSource.Checked checked = source.check(partial);
      current = new ArrayList<>(checked.errors());
      if (checked.ok()) {
        current.addAll(
            listenerChanges(
                leases.current().plan().plan().spec().server(), checked.plan().spec().server()));
      }
      if (current.isEmpty()) {
        lastRejected = attempted; // the watcher does not try these files again until one changes
        List<ConfigError> heldErrors =
            found.stream().filter(e -> heldBack.contains(e.at().file())).toList();
        return apply(running, attempted, partial, checked, List.copyOf(heldBack), heldErrors);
      }
      found.addAll(current.stream().filter(e -> !found.contains(e)).toList());
    }
    return reject(running, attempted, found);
  }

  /**
   * Files of a folder config serving their last good version after the last reload; empty
   * otherwise.
   */
  List<String> heldBack() {
    return held;
  }

  /** The errors that held those files back. */
  List<ConfigError> heldErrors() {
    return heldErrors;
  }

  /**
   * Remembers the files serving at start, so a later reload can hold an invalid file back at this
   * version; only when they still are what the running plan was built from.
   */
  void rememberStart() {
    if (source == null) {
      return;
    }
    try {
      ConfigSource.Snapshot files = source.readNow();
      if (files.version().equals(leases.current().version())) {
        lastGood = files.texts();
      }
    } catch (IOException e) {
      // Nothing to remember: a reload will then leave an invalid new file out, or reject a changed
      // one.
    }
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
    LOG.log(
        Level.WARNING,
        "config {0} rejected with {1} error(s); version {2} keeps serving",
        new Object[] {source.name(), errors.size(), running});
    return new ReloadResult(
        ReloadResult.Status.REJECTED, running, running, attempted, List.copyOf(errors));
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

  private void compare(
      List<ConfigError> out, ServerSpec next, String key, Object running, Object changed) {
    if (!running.equals(changed)) {
      // At the key when it is written, else at the server section, else at the top of the file.
      Src at =
          next.locations()
              .getOrDefault(
                  key, next.locations().getOrDefault("server", new Src(source.name(), 1, 1)));
      out.add(
          new ConfigError(
              at,
              key,
              changed
                  + " differs from the running "
                  + running
                  + " (expected "
                  + running
                  + ": a listener cannot move while it serves; restart to change it)"));
    }
  }
}
