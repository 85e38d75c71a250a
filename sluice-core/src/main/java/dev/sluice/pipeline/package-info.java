/**
 * Staged, parallel, in-memory processing of a finite collection or an endless feed.
 *
 * <p>A {@link dev.sluice.pipeline.Pipeline} is an immutable description built with {@link
 * dev.sluice.pipeline.Pipeline#builder()}: named steps (map {@link dev.sluice.pipeline.Step},
 * {@link dev.sluice.pipeline.FilterStep}, {@link dev.sluice.pipeline.FlatMapStep}, {@link
 * dev.sluice.pipeline.BatchStep}, unions of branches joined by a {@link dev.sluice.pipeline.Joiner}
 * or, typed, a {@link dev.sluice.pipeline.PairJoiner} or {@link dev.sluice.pipeline.TripleJoiner},
 * and other pipelines nested as steps), each run by its own pool of worker threads, with bounded
 * queues between them ({@link dev.sluice.pipeline.PipelineBuilder#chaining(boolean)} chains
 * adjacent single-worker steps on one thread instead). Items travel in batches numbered when fed; a
 * reorder buffer gives outputs back in input order.
 *
 * <p>Batch mode ({@link dev.sluice.pipeline.Pipeline#transform}) returns a list; stream mode
 * ({@link dev.sluice.pipeline.Pipeline#stream}, or {@link dev.sluice.pipeline.Pipeline#start} for a
 * {@link dev.sluice.pipeline.PipelineRun} handle with live {@link
 * dev.sluice.pipeline.PipelineMetrics}) reads an iterator or a source and writes to a sink, with
 * memory bounded however long the feed. The first failure anywhere cancels the run and reaches the
 * caller as a {@link dev.sluice.pipeline.PipelineException}; no thread of a run outlives it.
 *
 * <p>The engine is package-private: {@code Run} wires a run, {@code Feeder} cuts the feed into
 * batches, {@code StageRuntime} is the workers behind one input queue (a step's, or one thread for
 * a chain of single-worker steps), {@code StepRuntime} is a step's counters, {@code UnionRuntime}
 * fans out and joins, {@code BatchQueue} is the cancellable bounded queue between them, {@code
 * Waits} counts the threads waiting inside the engine (so that a run in which none can progress is
 * noticed), and {@code Specializer} gives per-item steps their own copy of their operation's class
 * for the JIT.
 */
package dev.sluice.pipeline;
