package io.deeptrain.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The title page of the API documentation. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI deeptrainOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("deeptrain")
                .version("v1")
                .description(
                    "Train and serve Deeplearning4j models. Queue a job with POST /api/v1/jobs,"
                        + " follow it with GET /api/v1/jobs/{id} and its metrics, then classify"
                        + " with POST /api/v1/models/{modelId}/classify. Errors are RFC 9457"
                        + " problem details naming the field at fault.")
                .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
        .addServersItem(new Server().url("http://localhost:8080").description("local"));
  }
}
