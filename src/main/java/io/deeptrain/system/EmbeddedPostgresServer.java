package io.deeptrain.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
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
