package dev.medley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code medley validate}: every error located, exit 1; a valid file, exit 0. */
@Tag("fast")
class ValidateCommandTest {
  private record Run(int code, String out) {}

  private static Run validate(Path file) {
    StringWriter sw = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(sw, true)).execute("validate", file.toString());
    return new Run(code, sw.toString());
  }

  @Test
  void fiveMistakesGiveFiveLocatedErrorsAndExitOne() throws Exception {
    Path file = Path.of(getClass().getResource("/five-mistakes.yaml").toURI());
    Run r = validate(file);
    assertThat(r.code()).isEqualTo(1);
    List<String> lines = r.out().lines().toList();
    String f = file.toString();
    assertThat(lines).containsExactly(
        f + ":10:19: experiences.web.routes[\"GET /products/{id}\"].deadline: '2 seconds' is not a duration (expected a number with ms, s, m or h, e.g. 250ms)",
        f + ":12:58: experiences.web.routes[\"GET /products/{id}\"].steps.product.path: unknown reference 'productId' (expected one of: id, params, query, headers, claims, body, product, reviews, a, b)",
        f + ":13:20: experiences.web.routes[\"GET /products/{id}\"].steps.reviews: unknown upstream 'reviewz' (expected one of: product, reviews)",
        f + ":14:14: experiences.web.routes[\"GET /products/{id}\"].steps.a: dependency cycle: a -> b -> a",
        f + ":17:32: experiences.web.routes[\"GET /products/{id}\"].response.name: expression 'product.name +': mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
        "5 errors in " + f);
  }

  @Test
  void everyDocsExampleAndTheDemoConfigValidate() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("docs/examples"))) {
      // Examples whose secrets come from the environment are checked with it by DocsExamplesTest.
      for (Path p : files.filter(x -> x.toString().endsWith(".yaml") && !needsEnv(x)).toList()) {
        Run r = validate(p);
        assertThat(r.code()).as(p + ": " + r.out()).isZero();
        assertThat(r.out()).contains(": OK (");
      }
    }
    Path demo = Path.of("src/main/resources/demo/medley-demo.yaml");
    assertThat(validate(demo).code()).isZero();
  }

  private static boolean needsEnv(Path p) {
    try {
      return Files.readString(p).matches("(?s).*\\$\\{env:[A-Z_]+}.*");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void unreadableFileIsAnErrorNotACrash() {
    Run r = validate(Path.of("does/not/exist.yaml"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("cannot read config");
  }
}
