package dev.flags.integration;

import dev.flags.core.Subscription;
import java.util.Objects;
import java.util.Optional;

/**
 * A response body that goes on after the handler returned: server-sent events ({@code
 * text/event-stream}, the WHATWG HTML standard's {@code EventSource}), such as the dashboard's live
 * updates. A {@link FlagsHttpHandler} answers with one in {@link FlagsHttpResponse#events()}; the
 * framework adapter writes the status and headers, then pumps the events to the client until either
 * side ends. Implementations are thread-safe.
 *
 * <p><b>The contract between the stream and the adapter.</b>
 *
 * <ol>
 *   <li>The adapter writes the response's status and headers (the handler sets {@code Content-Type:
 *       text/event-stream}, {@code Cache-Control: no-cache}), ignores its body, and sends the
 *       headers to the client at once (flushes).
 *   <li>It then calls {@link #open(Sink)} once, on any thread. {@code open} does not block: it
 *       registers the sink and returns. From then on the stream calls the sink from its own
 *       threads: <b>never two calls at once</b> and in order ({@link Sink#send} any number of
 *       times, then at most one {@link Sink#close}), so a sink may hand each event straight to
 *       something that needs serial calls, such as a Reactive Streams subscriber.
 *   <li>{@link Sink#send} never blocks: the adapter queues or writes the event and returns. It
 *       answers {@code false} when the client is gone or the adapter's buffer is full (a client
 *       that does not read); the stream then stops sending and closes the sink, and the adapter
 *       ends the response. Every write of an event is followed by a flush.
 *   <li>When the adapter finds the client gone (a failed write, a container's disconnect or timeout
 *       callback, a cancelled subscription), it calls {@link Subscription#close()} on what {@code
 *       open} returned; that is idempotent and stops the stream.
 *   <li>The stream sends a comment ({@link Event#comment}) at least every {@link #HEARTBEAT}, so
 *       proxies keep the connection open and a client that went away is found by the next write;
 *       the adapter needs no timer of its own.
 * </ol>
 *
 * <p>How adapters do it: on a <b>servlet container</b>, with {@code request.startAsync()} (timeout
 * 0) and a writer per event, or on the request thread itself, taking events from a bounded queue
 * until the sink is closed (the JDK {@code HttpServer} harness of flags-dashboard's tests does
 * this); on <b>Netty / Micronaut / WebFlux</b>, as a {@code Publisher} of events: {@code
 * Flux.create(emitter -> { Subscription s = stream.open(sinkOver(emitter));
 * emitter.onDispose(s::close); })}, with {@code send} returning {@code false} once the emitter is
 * cancelled. Events are written with {@link Event#wireFormat()}, so every adapter sends the same
 * bytes.
 */
public interface FlagsEventStream {

  /** The longest time between two things the stream sends: 15 seconds. */
  java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(15);

  /**
   * Starts sending events to {@code sink}; returns at once.
   *
   * @return what the adapter closes when the client is gone (idempotent)
   */
  Subscription open(Sink sink);

  /**
   * Where a stream sends its events: the adapter's side. Called by one thread at a time (see the
   * {@linkplain FlagsEventStream contract}); implementations need not be thread-safe beyond that.
   */
  interface Sink {

    /**
     * Writes (or queues) one event and returns without blocking.
     *
     * @return whether the client can still be reached; {@code false} ends the stream
     */
    boolean send(Event event);

    /** Ends the response. Called at most once; nothing is sent after it. */
    void close();
  }

  /**
   * One server-sent event: a type ({@code event:}), its data ({@code data:}, one line per line of
   * text) and an optional id; or a comment, which clients ignore. Immutable and thread-safe.
   *
   * @param type the event type, the name {@code EventSource.addEventListener} listens to; empty for
   *     a comment
   * @param data the data (or the comment's text); may hold several lines
   * @param id the event's id, sent as {@code id:}; empty for none
   */
  record Event(String type, String data, Optional<String> id) {

    public Event {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(id, "id");
      if (type.indexOf('\n') >= 0 || type.indexOf('\r') >= 0 || type.indexOf(':') >= 0) {
        throw new IllegalArgumentException("type: one word, no line break or colon: " + type);
      }
      if (id.filter(i -> i.indexOf('\n') >= 0 || i.indexOf('\r') >= 0).isPresent()) {
        throw new IllegalArgumentException("id: no line break");
      }
    }

    /** An event of {@code type} with {@code data}. */
    public static Event of(String type, String data) {
      return new Event(type, data, Optional.empty());
    }

    /** A comment: kept alive, ignored by clients. */
    public static Event comment(String text) {
      return new Event("", text, Optional.empty());
    }

    /** Whether this is a comment. */
    public boolean isComment() {
      return type.isEmpty();
    }

    /** The event as it goes on the wire (UTF-8), with the blank line that ends it. */
    public String wireFormat() {
      StringBuilder sb = new StringBuilder(data.length() + type.length() + 16);
      String[] lines = data.split("\r\n|\r|\n", -1);
      if (isComment()) {
        for (String line : lines) {
          sb.append(':').append(line.isEmpty() ? "" : " ").append(line).append('\n');
        }
        return sb.append('\n').toString();
      }
      id.ifPresent(i -> sb.append("id: ").append(i).append('\n'));
      sb.append("event: ").append(type).append('\n');
      for (String line : lines) {
        sb.append("data: ").append(line).append('\n');
      }
      return sb.append('\n').toString();
    }
  }
}
