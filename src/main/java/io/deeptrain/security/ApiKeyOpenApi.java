package io.deeptrain.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Declares the bearer API key in the OpenAPI document and on every protected operation, which gives
 * Swagger UI its Authorize button. Documented whatever deeptrain.security.enabled is: in open mode
 * a key is simply not needed.
 */
@Component
class ApiKeyOpenApi implements OpenApiCustomizer {

  static final String SCHEME = "apiKey";

  @Override
  public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
    if (openApi.getComponents() == null) {
      openApi.setComponents(new Components());
    }
    openApi
        .getComponents()
        .addSecuritySchemes(
            SCHEME,
            new SecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .bearerFormat("dt_ API key")
                .description(
                    "An API key (POST /api/v1/keys, or deeptrain.security.*) sent as"
                        + " `Authorization: Bearer <key>` (or `X-API-Key: <key>`). Roles: READER"
                        + " (GET), TRAINER (also jobs, uploads, inference), ADMIN (also keys,"
                        + " aliases, deletes). Not needed when deeptrain.security.enabled=false."));
    if (openApi.getPaths() == null) {
      return;
    }
    openApi
        .getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, operation) -> {
                          Role needed = AccessRules.required(method.name(), path);
                          if (needed != null) {
                            operation.addSecurityItem(new SecurityRequirement().addList(SCHEME));
                            ApiResponses responses = operation.getResponses();
                            if (responses == null) {
                              responses = new ApiResponses();
                              operation.setResponses(responses);
                            }
                            responses.addApiResponse(
                                "401",
                                new ApiResponse()
                                    .description(
                                        "No API key, or an unknown, revoked or expired one"
                                            + " (security enabled)"));
                            if (AccessRules.inference(method.name(), path)) {
                              responses.addApiResponse(
                                  "429",
                                  new ApiResponse()
                                      .description(
                                          "The key's inference rate"
                                              + " (deeptrain.security.inference-rate) is used up;"
                                              + " Retry-After says when to retry"));
                            }
                            if (needed != Role.READER) {
                              responses.addApiResponse(
                                  "403",
                                  new ApiResponse()
                                      .description(
                                          "The key's role is below "
                                              + needed.name()
                                              + " (security enabled)"));
                            }
                          }
                        }));
  }
}
