package dev.flags.dashboard;

import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.Subscription;
import dev.flags.integration.FlagsEventStream;
import dev.flags.integration.FlagsEventStream.Event;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The live updates: one listener on the client, one thread that turns each change into one event
 * (reading the store once, whatever the number of open pages) and sends it to every open stream.
 * Changes that come faster than they are sent are merged by flag key. Every call to a sink happens
 * on that one thread, which is what {@link FlagsEventStream} promises adapters. Thread-safe.
 */
final class Live implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Dashboard.class.getName());

  /**
   * The most changed flags sent one by one; past it (an import, a restore of the store) the pages
   * are told to reload instead, so one bulk change does not delay every later update.
   */
  static final int MAX_SINGLE_UPDATES = 50;

  /** The most open streams; past it a new one is refused (the page then works without). */
  static final int MAX_STREAMS = 1000;

  private final ScheduledExecutorService thread;
  private final Set<Connection> connections = new CopyOnWriteArraySet<>();
  private final Set<String> pending = new LinkedHashSet<>();
  private final Subscription listener;
  private final Function<String, String> flagEvent;
  private final Supplier<String> statusEvent;
  private boolean drainScheduled;
  private boolean statusPending;

  Live(
      Flags flags,
      Function<String, String> flagEvent,
      Supplier<String> statusEvent,
      Runnable onChange) {
    this.flagEvent = flagEvent;
    this.statusEvent = statusEvent;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flags-dashboard-live");
              t.setDaemon(true);
              return t;
            });
    long beat = FlagsEventStream.HEARTBEAT.toMillis();
    // Nothing waits for the heartbeat: it ends when the thread pool is shut down.
    var unused = thread.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    this.listener =
        flags.addListener(
            new FlagListener() {
              @Override
              public void onFlagChanged(String flagKey) {
                onChange.run();
                changed(flagKey);
              }

              @Override
              public void onMalformedFlag(String flagKey, String problem) {
                onChange.run();
                changed(flagKey);
              }

              @Override
              public void onStatusChanged(StoreStatus status) {
                statusChanged();
              }
            });
  }

  /** A new stream for one page. */
  FlagsEventStream stream() {
    return sink -> {
      Connection c = new Connection(sink);
      run(
          () -> {
            if (connections.size() >= MAX_STREAMS) {
              sink.close();
              return;
            }
            connections.add(c);
            // Tells the page it is connected, and how soon to reconnect if the stream breaks.
            c.send(Event.of("hello", "{}"));
          });
      return () -> run(c::close);
    };
  }

  int open() {
    return connections.size();
  }

  private void changed(String key) {
    synchronized (pending) {
      pending.add(key);
      if (drainScheduled) {
        return;
      }
      drainScheduled = true;
    }
    run(this::drain);
  }

  private void statusChanged() {
    synchronized (pending) {
      statusPending = true;
      if (drainScheduled) {
        return;
      }
      drainScheduled = true;
    }
    run(this::drain);
  }

  private void drain() {
    while (true) {
      String key;
      boolean status;
      int bulk = 0;
      synchronized (pending) {
        status = statusPending;
        statusPending = false;
        if (pending.size() > MAX_SINGLE_UPDATES) {
          bulk = pending.size();
          pending.clear();
        }
        var it = pending.iterator();
        key = it.hasNext() ? it.next() : null;
        if (key != null) {
          it.remove();
        }
        if (key == null && !status) {
          drainScheduled = false;
          return;
        }
      }
      try {
        if (status) {
          broadcast(Event.of("status", statusEvent.get()));
        }
        if (bulk > 0) {
          broadcast(Event.of("many", "{\"count\":" + bulk + "}"));
        }
        if (key != null) {
          broadcast(Event.of("flag", flagEvent.apply(key)));
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "flags dashboard: a live update failed: " + e);
      }
    }
  }

  private void heartbeat() {
    broadcast(Event.comment("keep-alive"));
  }

  private void broadcast(Event e) {
    for (Connection c : connections) {
      c.send(e);
    }
  }

  private void run(Runnable r) {
    try {
      thread.execute(r);
    } catch (RejectedExecutionException closed) {
      // Closed: nothing is sent any more.
    }
  }

  @Override
  public void close() {
    listener.close();
    run(
        () -> {
          for (Connection c : connections) {
            c.close();
          }
        });
    thread.shutdown();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.shutdownNow();
  }

  /** One open stream. Used on the live thread only. */
  private final class Connection {
    private final FlagsEventStream.Sink sink;
    private boolean closed;

    Connection(FlagsEventStream.Sink sink) {
      this.sink = sink;
    }

    void send(Event e) {
      if (closed) {
        return;
      }
      boolean ok;
      try {
        ok = sink.send(e);
      } catch (RuntimeException ex) {
        ok = false;
      }
      if (!ok) {
        close();
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      connections.remove(this);
      try {
        sink.close();
      } catch (RuntimeException ex) {
        // The adapter's problem; the stream is over either way.
      }
    }
  }
}
