package io.deeptrain.job;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * LISTENs for "a job was queued" on its own connection and wakes the dispatcher, so a new job
 * starts within milliseconds instead of at the next poll. If the connection breaks, polling still
 * works and the listener reconnects.
 */
@Component
class QueueListener implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(QueueListener.class);

  private final DataSource dataSource;
  private final JobDispatcher dispatcher;
  private final JobProperties props;
  private volatile boolean running;
  private Thread thread;

  QueueListener(DataSource dataSource, JobDispatcher dispatcher, JobProperties props) {
    this.dataSource = dataSource;
    this.dispatcher = dispatcher;
    this.props = props;
  }

  private void loop() {
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement st = connection.createStatement()) {
          st.execute("LISTEN " + JobRepository.NOTIFY_CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications(1_000);
          if (notes != null && notes.length > 0) {
            dispatcher.wakeUp();
          }
        }
      } catch (Exception e) {
        if (running) {
          log.debug("Queue listener connection lost, reconnecting: {}", e.getMessage());
          try {
            Thread.sleep(props.pollInterval().toMillis());
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  @Override
  public void start() {
    if (!props.dispatch()) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "deeptrain-queue-listener");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    if (thread != null) {
      try {
        thread.join(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 400;
  }
}
