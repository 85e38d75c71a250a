package dev.sluice.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

class LogsTest {
  @Test
  void withoutAProviderWarningsGoToSystemLogger() {
    Logger log = Logs.get(LogsTest.class, new NOPLoggerFactory());
    List<LogRecord> seen = new ArrayList<>();
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger(LogsTest.class.getName());
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            seen.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    jul.addHandler(h);
    try {
      log.warn("dead-lettered window {} of {}", 3, "orders", new IllegalStateException("boom"));
    } finally {
      jul.removeHandler(h);
    }
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).getMessage()).isEqualTo("dead-lettered window 3 of orders");
    assertThat(seen.get(0).getThrown()).hasMessage("boom");
    assertThat(seen.get(0).getLevel()).isEqualTo(java.util.logging.Level.WARNING);
  }

  @Test
  void withAProviderItIsSlf4jsLogger() {
    assertThat(Logs.get(LogsTest.class).getClass())
        .isEqualTo(LoggerFactory.getLogger(LogsTest.class).getClass());
  }
}
