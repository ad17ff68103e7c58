package dev.flags.micronaut;

import dev.flags.core.Subscription;
import dev.flags.integration.FlagsEventStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * A {@link FlagsEventStream} as a Reactive Streams {@link Publisher} of the events' bytes ({@link
 * FlagsEventStream.Event#wireFormat()}), which Netty writes and flushes one by one: the stream is
 * opened on subscription and closed on cancel. Events wait in a bounded queue while the subscriber
 * has no demand; a subscriber that takes none for {@value #QUEUE} events ends the stream. One
 * subscriber; thread-safe (the stream's thread and Netty's meet under one lock, and the subscriber
 * is called by one thread at a time, never reentrantly).
 */
final class EventStreamPublisher implements Publisher<byte[]> {

  /** The most events queued for a client that does not read, before it counts as gone. */
  static final int QUEUE = 1000;

  private final FlagsEventStream stream;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  EventStreamPublisher(FlagsEventStream stream) {
    this.stream = stream;
  }

  @Override
  public void subscribe(Subscriber<? super byte[]> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(
          new org.reactivestreams.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      subscriber.onError(new IllegalStateException("an event stream has one subscriber"));
      return;
    }
    Link link = new Link(subscriber);
    subscriber.onSubscribe(link);
    Subscription opened = stream.open(link);
    link.opened(opened);
  }

  /** The subscription and the sink of one client. */
  private static final class Link
      implements org.reactivestreams.Subscription, FlagsEventStream.Sink {
    private final Subscriber<? super byte[]> subscriber;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private Subscription opened = () -> {};
    private long demand;
    private boolean closing;
    private boolean done;
    private boolean emitting;

    Link(Subscriber<? super byte[]> subscriber) {
      this.subscriber = subscriber;
    }

    void opened(Subscription s) {
      boolean cancelled;
      synchronized (this) {
        opened = s;
        cancelled = done;
      }
      if (cancelled) {
        s.close();
      }
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancel();
        return;
      }
      synchronized (this) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      }
      emit();
    }

    @Override
    public void cancel() {
      Subscription s;
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        queue.clear();
        s = opened;
      }
      s.close();
    }

    @Override
    public boolean send(FlagsEventStream.Event event) {
      synchronized (this) {
        if (done || closing || queue.size() >= QUEUE) {
          return false;
        }
        queue.add(event.wireFormat().getBytes(StandardCharsets.UTF_8));
      }
      emit();
      return true;
    }

    @Override
    public void close() {
      synchronized (this) {
        closing = true;
      }
      emit();
    }

    /** Hands queued events to the subscriber while it wants them; one thread at a time. */
    private void emit() {
      while (true) {
        byte[] next;
        boolean complete = false;
        synchronized (this) {
          if (emitting || done) {
            return;
          }
          if (!queue.isEmpty() && demand > 0) {
            next = queue.poll();
            demand--;
          } else if (queue.isEmpty() && closing) {
            next = null;
            complete = true;
            done = true;
          } else {
            return;
          }
          emitting = true;
        }
        try {
          if (complete) {
            subscriber.onComplete();
            return;
          }
          subscriber.onNext(next);
        } finally {
          synchronized (this) {
            emitting = false;
          }
        }
      }
    }
  }
}
