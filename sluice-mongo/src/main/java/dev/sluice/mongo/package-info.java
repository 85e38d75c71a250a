/**
 * MongoDB connectors on the official synchronous driver: {@link dev.sluice.mongo.MongoSource}
 * follows a collection and keeps its position in the Sluice store; {@link
 * dev.sluice.mongo.MongoSink} inserts (or idempotently upserts) results. Both are available in
 * configuration files as type {@code "mongo"}. Tested against mongo-java-server (no real MongoDB
 * server can be installed where Sluice is built); set {@code -Dsluice.mongo.url} to run the tests
 * against a real one.
 */
package dev.sluice.mongo;
