package io.deeptrain.system;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded default: with no {@code spring.datasource.url}, start a real PostgreSQL under {@code
 * ./data/postgres} and connect to it. With the URL set, Spring Boot's own DataSource is used.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
class EmbeddedPostgresConfiguration {

  @Bean(destroyMethod = "release")
  EmbeddedPostgresServer embeddedPostgresServer(EmbeddedPostgresProperties props) {
    return EmbeddedPostgresServer.acquire(props);
  }

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(EmbeddedPostgresServer server, EmbeddedPostgresProperties props) {
    HikariDataSource ds = new HikariDataSource();
    ds.setPoolName("deeptrain-embedded");
    ds.setJdbcUrl(server.jdbcUrl(props.database()));
    ds.setUsername("postgres");
    ds.setPassword("postgres");
    ds.setMaximumPoolSize(10);
    return ds;
  }

  static class NoDatasourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }
}
