/**
 * Test helpers that start real {@code redis-server} processes from the {@code PATH} on free ports:
 * {@link dev.flags.testsupport.RedisServerProcess} (one server, which tests can kill, freeze and
 * restart), {@link dev.flags.testsupport.RedisSentinelSetup} (master, replica, three Sentinels) and
 * {@link dev.flags.testsupport.RedisClusterSetup} (three masters); {@link
 * dev.flags.testsupport.TestCertificate} makes a self-signed certificate for a server started with
 * TLS ({@code RedisServerProcess.startTls}, needs {@code openssl}). They never touch a Redis they
 * did not start (the system one on 6379 included). For tests only.
 */
@NullMarked
package dev.flags.testsupport;

import org.jspecify.annotations.NullMarked;
