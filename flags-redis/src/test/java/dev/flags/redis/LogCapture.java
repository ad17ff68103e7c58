package dev.flags.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what one logger writes: flags-redis logs through {@code System.Logger}, which without
 * another provider is {@code java.util.logging}. Close it to stop capturing.
 */
final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level previous;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture(String name, Level level) {
    this.logger = Logger.getLogger(name);
    this.previous = logger.getLevel();
    logger.setLevel(level);
    logger.addHandler(handler);
  }

  /** Captures {@code name} at {@code level} (INFO: DEBUG is off; FINE: DEBUG is on). */
  static LogCapture of(String name, Level level) {
    return new LogCapture(name, level);
  }

  List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** The messages at WARNING or above. */
  List<String> warnings() {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogRecord::getMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(previous);
  }
}
