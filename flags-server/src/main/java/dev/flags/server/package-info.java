/**
 * flags-server, the control plane in one executable jar (docs/server.md): the dashboard and the
 * admin HTTP API for every service sharing a Redis, or over a local flag file by default; users
 * from configuration (bcrypt hashes, {@code java -jar flags-server.jar hash-password}) or OpenID
 * Connect login. A Spring Boot application on the starter: the handlers it serves are the starter's
 * {@link dev.flags.spring.web.FlagsHttpMount} beans. Not a library: nothing here is meant to be
 * called from other code but {@link dev.flags.server.FlagsServer#main}.
 */
@NullMarked
package dev.flags.server;

import org.jspecify.annotations.NullMarked;
