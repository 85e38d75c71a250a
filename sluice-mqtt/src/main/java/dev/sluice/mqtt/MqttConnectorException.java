package dev.sluice.mqtt;

import dev.sluice.SluiceException;

/** An MQTT source or sink could not go on: the cause says why. */
public class MqttConnectorException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and its cause. */
  public MqttConnectorException(String message, Throwable cause) {
    super(message, cause);
  }
}
