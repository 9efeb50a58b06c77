package dev.medley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code medley run --transport}: a name it does not know stops the start with exit 2 and says what
 * it expects.
 */
class RunTransportOptionTest {
  @Test
  void unknownTransportIsRefusedBeforeAnythingStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          new CommandLine(new Main())
              .execute("run", "-c", "docs/examples/minimal.yaml", "--transport", "bogus");
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--transport: bogus (expected one of [auto, epoll, nio])");
  }
}
