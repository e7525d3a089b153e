package io.deeptrain.system;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Tells a database that cannot be reached (down, restarting, connections cut) from a statement that
 * failed on its own merits, and waits such an outage out for writes that must land (a job's end:
 * given up, the job would stay RUNNING under a replica that beats for it forever).
 */
public final class DatabaseOutage {

  private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);

  private DatabaseOutage() {}

  /** Whether {@code e} (or a cause of it) says the database could not be reached. */
  public static boolean isOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataAccessResourceFailureException
          || t instanceof TransientDataAccessResourceException
          || t instanceof RecoverableDataAccessException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof ConnectException) {
        return true;
      }
      // 08: connection exception; 57P: the server is shutting down or restarting.
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
      // HikariCP's words (no SQLState) for a connection it evicted as broken; a rollback failing
      // so hides the original error of a transaction the restart cut.
      if (t instanceof SQLException sql
          && sql.getSQLState() == null
          && "Connection is closed".equals(sql.getMessage())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * Runs {@code write} until it gets through: while the database cannot be reached it waits (0.5 s
   * doubling to 10 s) and tries again; any other failure is thrown at once.
   */
  public static <T> T retry(String what, Supplier<T> write) {
    long backoffMs = 500;
    while (true) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        if (!isOutage(e)) {
          throw e;
        }
        log.warn(
            "Could not {}: the database is unreachable ({}); retrying in {} ms",
            what,
            e.getMessage(),
            backoffMs);
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the database to " + what);
      }
      backoffMs = Math.min(backoffMs * 2, 10_000);
    }
  }
}
