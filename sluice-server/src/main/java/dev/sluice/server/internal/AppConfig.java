package dev.sluice.server.internal;

import dev.sluice.Store;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link dev.sluice.server.StreamingApp} was configured with; immutable.
 *
 * @param store a store the app serves and does not close, or null
 * @param storeUrl the URL of a store the app opens and closes, or null
 * @param host the address to bind
 * @param port the port, 0 for any free one
 * @param tokenDigest SHA-256 of the bearer token, or null when none is set
 * @param protectReads whether read endpoints need the token too
 * @param allowRemoteWithoutToken whether a non-loopback bind without a token is allowed
 * @param createStreams whether a POST may create a stream that does not exist
 * @param maxBodyBytes the largest request body accepted
 * @param maxLineBytes the largest NDJSON line accepted
 * @param maxRecordsPerRequest the most records one request may append
 * @param maxReadRecords the most records one read may return
 * @param maxTails how many live tails may be open at once
 * @param sampleEvery how often the dashboard's series and the store gauges are sampled
 * @param history how much of the series is kept
 * @param recentWindows how many finished windows are kept for the dashboard
 * @param declarations the consumers, jobs and sources to start
 */
public record AppConfig(
    Store store,
    String storeUrl,
    String host,
    int port,
    byte[] tokenDigest,
    boolean protectReads,
    boolean allowRemoteWithoutToken,
    boolean createStreams,
    long maxBodyBytes,
    int maxLineBytes,
    int maxRecordsPerRequest,
    int maxReadRecords,
    int maxTails,
    Duration sampleEvery,
    Duration history,
    int recentWindows,
    List<Declaration> declarations) {}
