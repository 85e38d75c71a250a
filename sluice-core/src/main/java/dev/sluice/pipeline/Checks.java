package dev.sluice.pipeline;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validation at the edge of the pipeline API, and the checks {@link PipelineBuilder#build()} makes
 * across nested pipelines and unions; messages name the rule and show the bad value.
 */
final class Checks {
  static final int MAX_WORKERS = 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private Checks() {}

  static String name(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " name must match " + NAME.pattern() + ": " + describe(name));
    }
    return name;
  }

  static int positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1: " + value);
    }
    return value;
  }

  static int workers(String step, int workers) {
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException(
          "workers of step '" + step + "' must be between 1 and " + MAX_WORKERS + ": " + workers);
    }
    return workers;
  }

  static Duration positive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be a positive duration: " + value);
    }
    return value;
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return text + " (" + value.getClass().getName() + ")";
  }

  /** Checks queue sizes and nested pipelines' feed options, through unions and nested pipelines. */
  static void stages(List<Stage> stages, String prefix, Settings outer) {
    for (Stage stage : stages) {
      String name = prefix + stage.name();
      if (stage instanceof StepSpec step) {
        queue("queueSize of step '" + name + "'", step.queue(), outer.batchSize());
      } else if (stage instanceof UnionSpec union) {
        for (int b = 0; b < union.branches().size(); b++) {
          stages(union.branches().get(b).stages(), name + "/" + b + "/", outer);
        }
      } else if (stage instanceof NestedSpec nested) {
        Settings inner = nested.pipeline().settings();
        if (inner.explicit().contains("queueSize")) {
          queue("queueSize of pipeline '" + name + "'", inner.queue(), outer.batchSize());
        }
        feedOptions(name, inner, outer);
        stages(nested.pipeline().stages(), name + "/", outer);
      }
    }
  }

  private static void feedOptions(String name, Settings inner, Settings outer) {
    Map<String, List<Object>> options = new LinkedHashMap<>();
    options.put("batchSize", List.of(inner.batchSize(), outer.batchSize()));
    options.put("ordered", List.of(inner.ordered(), outer.ordered()));
    options.put(
        "lastBatch",
        Arrays.asList(inner.lastBatch() + padding(inner), outer.lastBatch() + padding(outer)));
    options.put("idleTimeout", Arrays.asList(inner.idleTimeout(), outer.idleTimeout()));
    options.put("maxBatchWait", List.of(inner.maxBatchWait(), outer.maxBatchWait()));
    options.put("chaining", List.of(inner.chaining(), outer.chaining()));
    for (Map.Entry<String, List<Object>> option : options.entrySet()) {
      List<Object> values = option.getValue();
      if (inner.explicit().contains(option.getKey())
          && !Objects.equals(values.get(0), values.get(1))) {
        throw new IllegalArgumentException(
            "nested pipeline '"
                + name
                + "' sets "
                + option.getKey()
                + " "
                + values.get(0)
                + " but the pipeline holding it runs with "
                + option.getKey()
                + " "
                + values.get(1)
                + ": the run's feed options come from the pipeline that is run; set the same value"
                + " or leave it unset in the nested pipeline");
      }
    }
  }

  private static String padding(Settings settings) {
    return settings.lastBatch() == Pipeline.LastBatch.PAD
        ? "(" + describe(settings.padding()) + ")"
        : "";
  }

  static void queue(String what, QueueSize queue, int batchSize) {
    if (queue.items() > 0 && queue.items() < batchSize) {
      throw new IllegalArgumentException(
          what
              + " ("
              + queue.items()
              + ") must be at least batchSize ("
              + batchSize
              + "): a queue holds whole batches");
    }
  }
}
