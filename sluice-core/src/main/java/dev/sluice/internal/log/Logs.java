package dev.sluice.internal.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Sluice's loggers: SLF4J's when an SLF4J provider is bound, else {@link System.Logger} (by default
 * java.util.logging, which prints INFO and above to stderr), so dead-lettering and job failures are
 * visible without a logging set-up and without forcing a binding on library users.
 */
public final class Logs {
  private Logs() {}

  /** The logger for {@code type}. */
  public static Logger get(Class<?> type) {
    return get(type, LoggerFactory.getILoggerFactory());
  }

  static Logger get(Class<?> type, ILoggerFactory factory) {
    if (factory instanceof NOPLoggerFactory) {
      return new SystemLogger(type.getName());
    }
    return factory.getLogger(type.getName());
  }

  /** An SLF4J logger writing to {@link System.Logger}. */
  static final class SystemLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient System.Logger out;

    SystemLogger(String name) {
      this.name = name;
      this.out = System.getLogger(name);
    }

    private static System.Logger.Level of(Level level) {
      return switch (level) {
        case ERROR -> System.Logger.Level.ERROR;
        case WARN -> System.Logger.Level.WARNING;
        case INFO -> System.Logger.Level.INFO;
        case DEBUG -> System.Logger.Level.DEBUG;
        case TRACE -> System.Logger.Level.TRACE;
      };
    }

    private boolean on(Level level) {
      return out.isLoggable(of(level));
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable thrown) {
      String message = MessageFormatter.basicArrayFormat(pattern, args);
      if (thrown == null) {
        out.log(of(level), message);
      } else {
        out.log(of(level), message, thrown);
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return on(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return on(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return on(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return on(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return on(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return on(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return on(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return on(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return on(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return on(Level.ERROR);
    }
  }
}
