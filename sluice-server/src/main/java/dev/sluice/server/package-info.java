/**
 * The streaming app: a store, the consumers and sources declared for it, and an HTTP server with a
 * JSON API, HTTP ingest, Prometheus metrics and a live dashboard.
 *
 * <pre>{@code
 * try (RunningApp app = StreamingApp.builder()
 *     .store(store)
 *     .port(8080)
 *     .consumer("billing", s -> s.streaming("orders").group("billing").size(100), w -> bill(w))
 *     .build()
 *     .start()) {
 *   app.awaitClose();
 * }
 * }</pre>
 *
 * <p>{@link dev.sluice.server.StreamingApp} describes an app; {@link
 * dev.sluice.server.StreamingApp#start()} runs it and returns a {@link
 * dev.sluice.server.RunningApp}. Everything else lives in {@code dev.sluice.server.internal}.
 */
package dev.sluice.server;
