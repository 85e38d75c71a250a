/**
 * Dataflows in the bytewax v0.8 model: a linear flow of operators over items that carry epochs,
 * with keyed aggregation routed by a stable key hash, run on worker threads of this JVM.
 *
 * <p>Describe a flow with {@link dev.sluice.dataflow.Dataflow#builder()} ({@code map}, {@code
 * filter}, {@code flatMap}, {@code inspect}, {@code inspectEpoch}, {@code reduce}, {@code
 * reduceEpoch}, {@code reduceEpochLocal}, {@code statefulMap}, {@code capture}); give input items
 * their epochs with {@link dev.sluice.dataflow.Inputs}; run it with {@link
 * dev.sluice.dataflow.Execution} ({@code run}, {@code runCluster}, {@code spawnCluster}, {@code
 * clusterMain}), whose arguments {@link dev.sluice.dataflow.Parse} reads from a command line or the
 * environment. Keyed steps typed to {@link dev.sluice.dataflow.KV} at compile time come from {@link
 * dev.sluice.dataflow.Operators}, added with {@code then(..)}; {@link
 * dev.sluice.dataflow.KeyRouting} is the routing hash, public, with encodings of a user's own key
 * types; {@link dev.sluice.dataflow.Bytes} is a byte-string key.
 *
 * <p>Epoch rules: input epochs must not decrease per worker; an epoch is complete at a worker once
 * markers from every upstream channel, exchange channels included, have passed it; keyed values
 * reach {@code reduce} and {@code statefulMap} in epoch order; {@code reduceEpoch} emits once per
 * key and epoch when the epoch is complete. Dataflow state lives in memory only: it is not
 * recovered after a restart.
 */
package dev.sluice.dataflow;
