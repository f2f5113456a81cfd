using NJsonSchema;
using NJsonSchema.Generation.TypeMappers;
using Orchestrator.Application.Common.Json;

namespace Orchestrator.Api.OpenApi;

internal static class OpenApiSetup
{
    /// <summary>The NSwag document at <c>/swagger/v1/swagger.json</c>, served with Swagger UI at <c>/swagger</c>.</summary>
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
            var security = new SecurityProcessor();
            settings.DocumentProcessors.Add(security);
            settings.OperationProcessors.Add(security);
        });
}
