/**
 * The streaming app's implementation: the Jetty handler and its routes ({@code Front}), ingest
 * checks ({@code Ingest}), the live tail, the sampler behind the dashboard's series and the store
 * gauges, the window log, and the one class that reads the store ({@code StoreView}) and the one
 * that reads jobs ({@code Jobs}). Not API: anything here may change.
 */
package dev.sluice.server.internal;
