package io.deeptrain.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The PostgreSQL the service starts itself when {@code spring.datasource.url} is not set.
 *
 * @param dataDir where its data lives; kept across restarts so jobs and models survive
 * @param cleanOnStart wipe the data directory the first time the server starts in this JVM (tests)
 * @param database the database to use, created when missing (tests give a context its own)
 */
@ConfigurationProperties("deeptrain.embedded-postgres")
public record EmbeddedPostgresProperties(
    @DefaultValue("./data/postgres") Path dataDir,
    @DefaultValue("false") boolean cleanOnStart,
    @DefaultValue("deeptrain") String database) {}
