package dev.medley.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.admin.OpenApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medley openapi -c FILE [--experience NAME] [-o OUT]}: the OpenAPI 3.1 document of an
 * experience, on stdout or in a file; for a config with several experiences and no {@code
 * --experience}, one {@code NAME.openapi.json} per experience in the folder {@code -o}.
 */
@Command(
    name = "openapi",
    description = "Write the OpenAPI 3.1 document of an experience (or of each, into a folder).")
final class OpenApiCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "the YAML config (or folder)")
  Path file;

  @Option(
      names = "--experience",
      paramLabel = "NAME",
      description = "the experience (default: the only one)")
  String experience;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "OUT",
      description =
          "file to write (default: stdout); with several experiences and no --experience, a folder")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigCheck.Outcome r = ConfigCheck.check(file);
    if (!r.errors().isEmpty()) {
      r.errors().forEach(e -> err.println(e.format()));
      err.println(
          r.errors().size() + (r.errors().size() == 1 ? " error" : " errors") + " in " + file);
      return 1;
    }
    List<String> names = OpenApi.experiences(r.plan());
    if (experience != null && !names.contains(experience)) {
      err.println(
          "--experience: '" + experience + "' (expected one of: " + String.join(", ", names) + ")");
      return 2;
    }
    if (experience == null && names.size() > 1) {
      if (output == null) {
        err.println(
            "the config has several experiences ("
                + String.join(", ", names)
                + "): choose one with --experience, or give a folder with -o");
        return 2;
      }
      Files.createDirectories(output);
      for (String name : names) {
        Path f = output.resolve(name + ".openapi.json");
        Files.writeString(f, pretty(OpenApi.document(r.plan(), name)));
        out.println("wrote " + f);
      }
      return 0;
    }
    String json =
        pretty(OpenApi.document(r.plan(), experience != null ? experience : names.get(0)));
    if (output == null) {
      out.println(json);
    } else {
      Files.writeString(output, json);
      out.println("wrote " + output);
    }
    return 0;
  }

  private static String pretty(ObjectNode doc) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
  }
}
