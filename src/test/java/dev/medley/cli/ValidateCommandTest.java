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
  private record Run(int code, String out, String err) {}

  private static Run validate(Path file) {
    return run("validate", file.toString());
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new Main())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void fiveMistakesGiveFiveLocatedErrorsAndExitOne() throws Exception {
    Path file = Path.of(getClass().getResource("/five-mistakes.yaml").toURI());
    Run r = validate(file);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty(); // errors go to standard error
    List<String> lines = r.err().lines().toList();
    String f = file.toString();
    assertThat(lines)
        .containsExactly(
            f
                + ":10:19: experiences.web.routes[\"GET /products/{id}\"].deadline: '2 seconds' is not a duration (expected a number with ms, s, m or h, e.g. 250ms)",
            f
                + ":12:58: experiences.web.routes[\"GET /products/{id}\"].steps.product.path: unknown reference 'productId' (did you mean 'product'?) (expected one of: id, params, query, headers, claims, body, product, reviews, a, b)",
            f
                + ":13:20: experiences.web.routes[\"GET /products/{id}\"].steps.reviews: unknown upstream 'reviewz' (did you mean 'reviews'?) (expected one of: product, reviews)",
            f
                + ":14:14: experiences.web.routes[\"GET /products/{id}\"].steps.a: dependency cycle: a -> b -> a",
            f
                + ":17:32: experiences.web.routes[\"GET /products/{id}\"].response.name: expression 'product.name +': syntax error: the expression ends where a value is expected",
            "5 errors in " + f);
  }

  @Test
  void shapingMistakesAreLocatedWithAHint(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("shop.yaml");
    Files.writeString(
        file,
        """
        version: 1
        upstreams:
          product: { url: "http://127.0.0.1:9101" }
        experiences:
          web:
            routes:
              GET /p/{id}:
                steps:
                  product: { upstream: product, path: "/products/{id}" }
                response:
                  product: { $from: product, $exept: [internal] }
                  variants: { $each: product.variants, $pick: ["v[0].id"] }
                  card: { $from: product, $rename: { name: title, label: title } }
        """);
    Run r = validate(file);
    assertThat(r.code()).isEqualTo(1);
    String f = file.toString();
    String at = ": experiences.web.routes[\"GET /p/{id}\"].response.";
    assertThat(r.err().lines().toList())
        .containsExactly(
            f
                + ":11:46"
                + at
                + "product.$exept: unknown shaping key '$exept' (did you mean '$except'?)"
                + " (expected one of: $from, $each, $merge, $flatten, $as, $pick, $except,"
                + " $rename, $shape; a field whose name starts with $ is written $$exept)",
            f
                + ":12:57"
                + at
                + "variants.$pick: 'v[0].id' is not a path: a position in a list is not a path"
                + " here; [*] (every element) is",
            f
                + ":13:66"
                + at
                + "card.$rename: 'label' and 'name' are both renamed to 'title': one would"
                + " overwrite the other",
            "3 errors in " + f);
  }

  @Test
  void everyDocsExampleAndTheDemoConfigValidate() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("docs/examples"))) {
      // Examples whose secrets come from the environment are checked with it by DocsExamplesTest.
      // Composition tests (*.test.yaml) sit beside the configs; they are not configs.
      for (Path p :
          files
              .filter(
                  x ->
                      dev.medley.config.ConfigFolder.isConfigName(x.getFileName().toString())
                          && Files.isRegularFile(x)
                          && !needsEnv(x))
              .toList()) {
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
  void unreadableFileSaysWhyOnStandardErrorAndExitsOne() {
    Run r = validate(Path.of("does/not/exist.yaml"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "does/not/exist.yaml: cannot read config: no such file\n1 error in does/not/exist.yaml\n");
  }

  @Test
  void severalFilesAreCheckedEachOnItsOwn() {
    Run r =
        run(
            "validate",
            "docs/examples/minimal.yaml",
            "nope.yaml",
            "docs/examples/post-and-headers.yaml");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out().lines()).hasSize(2).allMatch(l -> l.contains(": OK ("));
    assertThat(r.err())
        .isEqualTo("nope.yaml: cannot read config: no such file\n1 error in nope.yaml\n");
    assertThat(
            run("validate", "docs/examples/minimal.yaml", "docs/examples/post-and-headers.yaml")
                .code())
        .isZero();
  }

  @Test
  void helpExitsZeroOnEveryCommandAndUsageErrorsExitTwo() {
    for (String[] args :
        List.of(
            new String[] {"--help"},
            new String[] {"validate", "--help"},
            new String[] {"run", "--help"},
            new String[] {"demo", "--help"})) {
      Run r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).contains("Usage: medley").contains("Exit status:");
    }
    Run missing = run("validate");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("Missing required parameter: 'FILE'");
    assertThat(run("run").code()).isEqualTo(2);
  }

  @Test
  void zeroTimeoutAndAStepNamedParamsGiveOneClearErrorEach(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.yaml");
    Files.writeString(
        f,
        """
        version: 1
        upstreams:
          u: { url: "http://127.0.0.1:9101", timeout: 0ms }
        experiences:
          web:
            routes:
              GET /o/{id}:
                steps:
                  params: { upstream: u, path: "/p/{id}" }
        """);
    Run r = validate(f);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines())
        .containsExactly(
            f
                + ":3:47: upstreams.u.timeout: '0ms' would fail every call: timeout must be more than 0 (e.g. 250ms); leave it out for the default",
            f
                + ":9:11: experiences.web.routes[\"GET /o/{id}\"].steps.params: 'params' is reserved (expected a step name other than:"
                + " body, claims, headers, items, params, query, result and CEL's reserved words)",
            "2 errors in " + f);
  }
}
