package dev.flags.spring.web;

import dev.flags.core.Subscription;
import dev.flags.integration.FlagsEventStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Streams a {@link FlagsEventStream} on a servlet container without holding a thread: the request
 * is put in async mode (no timeout) and written with the Servlet 3.1 non-blocking output ({@link
 * WriteListener}). {@link #send} queues the event and writes what the socket takes at once, each
 * event followed by a flush (so Tomcat's response buffer never holds an event back); the rest is
 * written from {@link #onWritePossible}. A client that does not read fills the bounded queue and
 * ends the stream. Thread-safe: the stream's thread and the container's threads meet under one
 * lock.
 */
final class ServletEventSink implements FlagsEventStream.Sink, WriteListener, AsyncListener {

  /** The most events queued for a client that does not read, before it counts as gone. */
  static final int QUEUE = 1000;

  private final AsyncContext async;
  private final ServletOutputStream out;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private Subscription subscription = () -> {};
  private boolean closing;
  private boolean done;
  private boolean flushPending;
  private boolean listening;

  private ServletEventSink(AsyncContext async, ServletOutputStream out) {
    this.async = async;
    this.out = out;
  }

  /** Starts streaming {@code stream} on a request in async mode whose headers were sent. */
  static void start(AsyncContext async, ServletOutputStream out, FlagsEventStream stream) {
    ServletEventSink sink = new ServletEventSink(async, out);
    async.setTimeout(0);
    async.addListener(sink);
    Subscription s = stream.open(sink);
    synchronized (sink) {
      sink.subscription = s;
      if (sink.done) {
        s.close();
        return;
      }
    }
    out.setWriteListener(sink);
  }

  @Override
  public synchronized boolean send(FlagsEventStream.Event event) {
    if (closing || done) {
      return false;
    }
    if (queue.size() >= QUEUE) {
      return false;
    }
    queue.add(event.wireFormat().getBytes(StandardCharsets.UTF_8));
    drain();
    return !done;
  }

  @Override
  public synchronized void close() {
    closing = true;
    drain();
  }

  @Override
  public synchronized void onWritePossible() {
    listening = true;
    drain();
  }

  @Override
  public void onError(Throwable t) {
    finish();
  }

  @Override
  public void onComplete(AsyncEvent event) {
    finish();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    finish();
  }

  @Override
  public void onError(AsyncEvent event) {
    finish();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // not restarted
  }

  /** Writes while the container takes bytes without blocking; completes once closed and empty. */
  private void drain() {
    if (done) {
      return;
    }
    try {
      // Before the write listener is set, isReady() must not be asked: nothing is written yet.
      while (listening && out.isReady()) {
        if (flushPending) {
          flushPending = false;
          out.flush();
          continue;
        }
        byte[] next = queue.poll();
        if (next == null) {
          if (closing) {
            complete();
          }
          return;
        }
        out.write(next);
        flushPending = true;
      }
    } catch (IOException | IllegalStateException e) {
      // The client went away.
      finish();
    }
  }

  private void complete() {
    if (!done) {
      done = true;
      try {
        async.complete();
      } catch (IllegalStateException e) {
        // already completed by the container
      }
      subscription.close();
    }
  }

  private void finish() {
    Subscription s;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      queue.clear();
      s = subscription;
    }
    s.close();
    try {
      async.complete();
    } catch (IllegalStateException e) {
      // already completed by the container
    }
  }
}
