/**
 * Sluice's public API: {@link dev.sluice.Sluice} (the entry point), {@link dev.sluice.Store},
 * {@link dev.sluice.EventStream} and {@link dev.sluice.Record}, with options, retention and the
 * exception hierarchy rooted at {@link dev.sluice.SluiceException}.
 */
package dev.sluice;
