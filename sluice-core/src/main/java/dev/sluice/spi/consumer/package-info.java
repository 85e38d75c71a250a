/**
 * The consumer SPI: what a backend implements so that Sluice's shared consumer engine runs on it
 * unchanged.
 *
 * <p>A backend with {@link dev.sluice.spi.Capability#CONSUMER_ENGINE} hands out {@link
 * dev.sluice.spi.consumer.ConsumerTables}: transactions ({@link
 * dev.sluice.spi.consumer.ConsumerTx}) over three kinds of rows — a stream partition's ({@link
 * dev.sluice.spi.consumer.StreamRow}), a consumer group's ({@link
 * dev.sluice.spi.consumer.GroupRow}) and a window's ({@link dev.sluice.spi.consumer.WindowRow}) —
 * plus liveness of processes and {@link dev.sluice.spi.consumer.Wakeups}. The engine writes every
 * rule of claims, fencing tokens, leases, retries, dead letters, retention and expiry once over
 * these; the backend only stores rows and keeps transactions atomic and isolated. A SQL database
 * reuses {@link dev.sluice.spi.sql.SqlConsumerTx} for the group and window tables.
 *
 * <p>A backend that runs consumers itself (Kafka consumer groups) offers {@link
 * dev.sluice.spi.Capability#CONSUMER_RUNTIME} and a {@link
 * dev.sluice.spi.consumer.ConsumerRuntime}, which receives the job as a {@link
 * dev.sluice.spi.consumer.ConsumerSpec}.
 *
 * <p>Windows are per partition: a group has a cursor, a committed offset and a window sequence per
 * partition, and a window id is {@code group/partition/seq}.
 */
package dev.sluice.spi.consumer;
