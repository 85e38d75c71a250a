package dev.sluice.config;

import dev.sluice.SluiceException;

/**
 * A configuration is not valid: the message names the place in the file, the rule and the value.
 */
public class ConfigException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates an exception with a message and its cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
