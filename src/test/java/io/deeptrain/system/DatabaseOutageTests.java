package io.deeptrain.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

class DatabaseOutageTests {

  @Test
  void shouldTellAnUnreachableDatabaseFromAFailedStatement() {
    assertThat(DatabaseOutage.isOutage(new CannotGetJdbcConnectionException("pool timed out")))
        .isTrue();
    // PostgreSQL's "terminating connection due to administrator command" (a restart), wrapped.
    assertThat(
            DatabaseOutage.isOutage(
                new IllegalStateException(
                    new UncategorizedSQLException(
                        "update", "UPDATE jobs", new SQLException("terminating", "57P01")))))
        .isTrue();
    assertThat(
            DatabaseOutage.isOutage(
                new UncategorizedSQLException(
                    "update", "UPDATE jobs", new SQLException("connection closed", "08003"))))
        .isTrue();

    // A transaction's rollback on a connection the pool evicted during a restart.
    assertThat(
            DatabaseOutage.isOutage(
                new IllegalStateException(
                    "Unable to rollback against JDBC Connection",
                    new SQLException("Connection is closed"))))
        .isTrue();

    assertThat(
            DatabaseOutage.isOutage(
                new BadSqlGrammarException(
                    "select", "SELECT nope", new SQLException("syntax", "42601"))))
        .isFalse();
    assertThat(DatabaseOutage.isOutage(new DataIntegrityViolationException("duplicate key")))
        .isFalse();
    assertThat(DatabaseOutage.isOutage(new IllegalArgumentException("bad"))).isFalse();
  }

  @Test
  void shouldRetryAWriteThroughAnOutageButNotAFailedStatement() {
    AtomicInteger calls = new AtomicInteger();
    boolean written =
        DatabaseOutage.retry(
            "write",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new CannotGetJdbcConnectionException("database restarting");
              }
              return true;
            });
    assertThat(written).isTrue();
    assertThat(calls).hasValue(3);

    AtomicInteger once = new AtomicInteger();
    assertThatThrownBy(
            () ->
                DatabaseOutage.retry(
                    "write",
                    () -> {
                      once.incrementAndGet();
                      throw new DataIntegrityViolationException("duplicate key");
                    }))
        .isInstanceOf(DataIntegrityViolationException.class);
    assertThat(once).hasValue(1);
  }
}
