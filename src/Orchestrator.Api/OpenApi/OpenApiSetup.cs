using NJsonSchema;
using NJsonSchema.Generation.TypeMappers;
using NSwag;
using NSwag.Generation.Processors.Security;
using Orchestrator.Api.Authentication;
using Orchestrator.Application.Common.Json;

namespace Orchestrator.Api.OpenApi;

internal static class OpenApiSetup
{
    private const string ApiKeyScheme = Credentials.TokenHeader;
    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddOrchestratorOpenApi(this IServiceCollection services) =>
        services.AddOpenApiDocument(settings =>
        {
            settings.DocumentName = "v1";
            settings.Title = "Orchestrator jobs API";
            settings.Version = "v1";
            settings.Description = "Puppet Enterprise's orchestrator jobs endpoints: jobs, their nodes, reports and events.";
            // Stored documents (owner, options, details, result) are free-form JSON values.
            settings.SchemaSettings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(RawJson), schema => schema.Type = JsonObjectType.None));
            settings.SchemaSettings.SchemaProcessors.Add(new RequiredPropertiesProcessor());
            settings.OperationProcessors.Add(new ParameterDocumentationProcessor());
            settings.OperationProcessors.Add(new ResponseDescriptionProcessor());

            // Either scheme satisfies an [Authorize] operation; whether a server enforces it is its Auth configuration.
            settings.AddSecurity(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.ApiKey,
                Name = Credentials.TokenHeader,
                In = OpenApiSecurityApiKeyLocation.Header,
                Description = "An API token with the orchestrator:view permission (the orchestrator's own header).",
            });
            settings.AddSecurity(BearerScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The same API token, or a JWT from the configured issuer, as Authorization: Bearer.",
            });
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(ApiKeyScheme));
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(BearerScheme));
        });
}
