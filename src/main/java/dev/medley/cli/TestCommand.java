package dev.medley.cli;

import dev.medley.devtools.CompositionTests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code medley test [FILE|DIR]...}: runs composition tests ({@code *.test.yaml}) against fake
 * upstreams; exit 0 when all pass, 1 when one fails (each failure located, with a diff), 2 when
 * there is nothing to run.
 */
@Command(
    name = "test",
    description =
        "Run composition tests (*.test.yaml): declared upstream answers, a request, "
            + "the expected answer. Exit 0 all passed, 1 a test failed, 2 nothing to run.")
final class TestCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "FILE|DIR",
      arity = "0..*",
      description = "test files, or folders searched for *.test.yaml (default: .)")
  List<Path> targets;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return CompositionTests.run(
        targets == null || targets.isEmpty() ? List.of(Path.of(".")) : targets, out, err);
  }
}
