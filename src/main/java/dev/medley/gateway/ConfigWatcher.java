package dev.medley.gateway;

import dev.medley.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Polls the config file (or every file of a folder config) on the injected clock and reloads when
 * it changed. Polling (rather than file-system events) sees every way a file can change, including
 * the symlink swap Kubernetes uses for ConfigMap volumes, and the read runs on a Vert.x worker,
 * never on the event loop. A change is applied once the file has kept the same content for one
 * interval, so an editor's or a copy's half-written file is never loaded; a version already
 * rejected (by the watcher or by {@code POST /admin/reload}) is not tried again until the file
 * changes.
 */
final class ConfigWatcher {
  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final ConfigSource source;
  private final Supplier<Duration> interval;
  private final Supplier<String> activeVersion;
  private final Supplier<String> rejectedVersion;
  private final Supplier<Future<ReloadResult>> reload;
  private final List<Promise<Void>> waiting = new ArrayList<>();
  private Clock.Cancellable timer;
  private boolean running;
  private String pending;

  ConfigWatcher(
      Vertx vertx,
      Context context,
      Clock clock,
      ConfigSource source,
      Supplier<Duration> interval,
      Supplier<String> activeVersion,
      Supplier<String> rejectedVersion,
      Supplier<Future<ReloadResult>> reload) {
    this.vertx = vertx;
    this.context = context;
    this.clock = clock;
    this.source = source;
    this.interval = interval;
    this.activeVersion = activeVersion;
    this.rejectedVersion = rejectedVersion;
    this.reload = reload;
  }

  /**
   * Starts polling unless it runs already or the interval is 0s; completes once the first poll is
   * scheduled.
   */
  Future<Void> start() {
    Promise<Void> scheduled = Promise.promise();
    context.runOnContext(
        v -> {
          if (!running && !interval.get().isZero()) {
            running = true;
            scheduleNext();
          }
          scheduled.complete();
        });
    return scheduled.future();
  }

  void stop() {
    context.runOnContext(
        v -> {
          running = false;
          if (timer != null) {
            timer.cancel();
          }
        });
  }

  /** Completes once the next poll (and any reload it started) has finished. */
  Future<Void> nextPoll() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> waiting.add(p));
    return p.future();
  }

  private void scheduleNext() {
    Duration every = interval.get();
    if (!running || every.isZero()) {
      running = false;
      return;
    }
    timer = clock.schedule(every, this::poll);
  }

  private void poll() {
    source
        .read(vertx)
        .compose(files -> consider(files.version()), unreadable -> Future.succeededFuture())
        .onComplete(
            x -> {
              scheduleNext(); // before telling waiters, so the next poll is already due when they
              // move the clock
              List<Promise<Void>> done = new ArrayList<>(waiting);
              waiting.clear();
              done.forEach(Promise::tryComplete);
            });
  }

  private Future<Void> consider(String version) {
    if (version.equals(activeVersion.get())) {
      pending = null;
      return Future.succeededFuture();
    }
    if (version.equals(rejectedVersion.get())) {
      return Future.succeededFuture();
    }
    if (!version.equals(pending)) {
      pending = version; // changed since the last poll: wait one interval for it to settle
      return Future.succeededFuture();
    }
    pending = null;
    return reload.get().mapEmpty();
  }
}
