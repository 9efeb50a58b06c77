package dev.medley.cli;

import dev.medley.config.Env;
import dev.medley.gateway.ConfigSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that serves a config: where it is, and the two ports. */
final class ServeOptions {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "the YAML config, or a folder of them")
  Path file;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "public port (overrides server.port)")
  Integer port;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      description = "admin port (overrides server.admin.port)")
  Integer adminPort;

  /** The config to serve, with the ports given on the command line. */
  ConfigSource source() {
    return new ConfigSource(file, Env.system(), port, adminPort);
  }
}
