package dev.medley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on a free port on 127.0.0.1 without persistence. Start-up
 * is awaited by reading the server's own "Ready to accept connections" line (no polling), then
 * checked with a PING. {@link #kill()} and {@link #restart()} stop and start it on the same port,
 * by the process this helper started.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private Process process;

  private RedisServer(int port) {
    this.port = port;
  }

  public static RedisServer start() {
    RedisServer r = new RedisServer(freePort());
    r.launch();
    return r;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port", e);
    }
  }

  private void launch() {
    try {
      process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--loglevel",
                  "notice")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError("redis-server is not installed (.ci/run installs it)", e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.contains("Ready to accept connections")) {
                    ready.complete(null);
                  }
                }
                ready.completeExceptionally(
                    new AssertionError("redis-server exited before it was ready"));
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            },
            "redis-server-log-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError("redis-server did not start on port " + port, e);
    }
    if (!"+PONG".equals(command("PING"))) {
      throw new AssertionError("redis-server on port " + port + " did not answer PING");
    }
  }

  /** Sends one inline command and returns the first line of the answer. */
  public String command(String inline) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    } catch (IOException e) {
      throw new AssertionError("redis-server on port " + port + " did not answer " + inline, e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  public void kill() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts it again on the same port, empty. */
  public void restart() {
    kill();
    launch();
  }

  @Override
  public void close() {
    kill();
  }
}
