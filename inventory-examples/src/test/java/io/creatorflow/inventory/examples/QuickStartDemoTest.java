package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's quick start keeps working next to the service. */
class QuickStartDemoTest {
  @Test
  void neverOversells() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    long oversold = QuickStartDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    assertThat(oversold).isZero();
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("100 orders accepted, 400 rejected",
        "consistent = true");
  }
}
