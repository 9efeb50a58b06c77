package dev.medley.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code medley test} through the same code path as the command line: every composition test under
 * docs/examples passes; a failing case is located and shows its diff with exit 1; nothing to run is
 * exit 2; an upstream's delay runs on virtual time.
 */
class CompositionTestsTest {
  @TempDir Path dir;

  /** What one run of the command printed, and its exit status. */
  record Run(int status, String out, String err) {}

  static Run medley(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private static final String CONFIG =
      """
      version: 1
      server: { admin: { token: t } }
      upstreams:
        users: { url: "http://127.0.0.1:1", timeout: 2s }
        orders: { url: "http://127.0.0.1:1", timeout: 2s }
      experiences:
        web:
          basePath: /web
          routes:
            GET /users/{id}:
              deadline: 5s
              steps:
                user: { upstream: users, path: "/users/{id}" }
                orders: { upstream: orders, path: /orders, query: { user: "{user.id}" }, optional: [] }
              response:
                name: user.name
                orders: orders
      """;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void everyDocsExampleCompositionTestPasses() {
    Run r = medley("test", "docs/examples");
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("PASS docs/examples/product-page.test.yaml:")
        .contains(" 0 failed");
  }

  @Test
  void aFailingCaseIsLocatedShowsItsDiffAndExitsOne() throws IOException {
    write("users.yaml", CONFIG);
    Path tests =
        write(
            "users.test.yaml",
            """
        tests:
          - name: shows the user's orders
            upstreams:
              users: { body: { id: 7, name: Ada } }
              orders:
                when: GET /orders?user=7
                body: [ { id: 1 } ]
            request: GET /web/users/7
            expect:
              status: 200
              body:
                name: Grace
                orders: [ { id: 1 } ]
              calls: [ GET users /users/7, GET orders /orders?user=7 ]
        """);
    Run r = medley("test", tests.toString());
    assertThat(r.status()).as(r.out()).isEqualTo(1);
    assertThat(r.out())
        .contains("FAIL " + tests + ":2 shows the user's orders")
        .contains(tests + ":12: body does not match (- expected, + actual):")
        .contains("$.name", "- \"Grace\"", "+ \"Ada\"")
        .doesNotContain("$.orders")
        .contains("1 tests: 0 passed, 1 failed");
  }

  @Test
  void aSlowUpstreamRunsOnVirtualTimeAndDegradesTheOptionalStep() throws IOException {
    write("users.yaml", CONFIG);
    Path tests =
        write(
            "users.test.yaml",
            """
        tests:
          - name: orders take longer than their timeout
            upstreams:
              users: { body: { id: 7, name: Ada } }
              orders: { delay: 3s, body: [ { id: 1 } ] }
            request: GET /web/users/7
            expect:
              status: 200
              partial: [orders]
              body: { name: Ada, orders: [] }
          - name: a failed user call is retried after a back-off
            upstreams:
              users: [ { status: 503 }, { delay: 1s, body: { id: 7, name: Ada } } ]
              orders: { body: [] }
            request: GET /web/users/7
            expect:
              status: 200
              partial: []
              calls: [ GET users /users/7, GET users /users/7, GET orders /orders?user=7 ]
          - name: a user slower than its timeout is a bad gateway
            upstreams:
              users: { delay: 3s, body: { id: 7, name: Ada } }
            request: GET /web/users/7
            expect:
              status: 502
              headers: { content-type: application/problem+json }
        """);
    long start = System.nanoTime();
    Run r = medley("test", tests.toString());
    assertThat(r.status()).as(r.out()).isZero();
    assertThat(r.out()).contains("3 tests: 3 passed, 0 failed");
    assertThat((System.nanoTime() - start) / 1_000_000)
        .as("ms of real time for 7s of upstream delays")
        .isLessThan(3_000);
  }

  @Test
  void nothingToRunIsAUsageError() {
    Run missing = medley("test", dir.resolve("nope").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file or folder");
    Run empty = medley("test", dir.toString());
    assertThat(empty.status()).isEqualTo(2);
    assertThat(empty.err()).contains("no composition tests");
  }

  @Test
  void anInvalidTestFileIsReportedAtItsLine() throws IOException {
    write("users.yaml", CONFIG);
    Path tests =
        write(
            "users.test.yaml",
            """
        tests:
          - name: typo
            request: GET /web/users/7
            expect:
              stauts: 200
        """);
    Run r = medley("test", tests.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            tests
                + ":5: unknown key 'stauts' in expect (expected one of: status, headers, body, partial, calls)");
  }
}
