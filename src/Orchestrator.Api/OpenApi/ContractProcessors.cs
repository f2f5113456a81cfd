using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using NJsonSchema;
using NJsonSchema.Generation;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Orchestrator.Application.Common.Json;

namespace Orchestrator.Api.OpenApi;

/// <summary>What the API always writes, computed properties included, is required, so clients do not type it optional.</summary>
internal sealed class RequiredPropertiesProcessor : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        var computed = Computed(context.ContextualType.Type);
        var required = context.Schema.RequiredProperties.ToHashSet();
        context.Schema.RequiredProperties.Clear();
        foreach (var (name, property) in context.Schema.ActualProperties)
        {
            // In the properties' order, so the document stays stable.
            if (required.Contains(name) || !property.IsNullable(SchemaType.OpenApi3) || computed.Contains(name))
                context.Schema.RequiredProperties.Add(name);
        }
    }

    private static HashSet<string> Computed(Type type) =>
        type.IsClass && type != typeof(string) && OrchestratorJson.Options.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Object } written
            ? written.Properties.Where(p => p.Set is null && p.Get is not null).Select(p => p.Name).ToHashSet()
            : [];
}

/// <summary>What each status means, so the document (and a generated client's exception message) says it.</summary>
internal sealed class ResponseDescriptionProcessor : IOperationProcessor
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["200"] = "The document. Carries a strong ETag and Cache-Control: private, no-cache.",
        ["304"] = "Not Modified: If-None-Match names the current ETag. No body.",
        ["400"] = "A parameter is malformed (validation-error); details name each parameter and the value sent.",
        ["401"] = "No credentials (user-unauthenticated), or credentials that do not verify (invalid-token).",
        ["403"] = "Authenticated without the orchestrator:view permission (not-permitted).",
        ["404"] = "No job has that id (unknown-job).",
        ["429"] = "Too many requests from this client (rate-limited); see Retry-After.",
        ["500"] = "An unexpected failure (unknown-error); no internals are disclosed.",
        ["503"] = "The job database cannot be read right now (database-unavailable).",
    };

    public bool Process(OperationProcessorContext context)
    {
        foreach (var (status, response) in context.OperationDescription.Operation.Responses)
        {
            if (string.IsNullOrEmpty(response.Description) && Descriptions.TryGetValue(status, out var description))
                response.Description = description;
        }

        return true;
    }
}

internal sealed class ParameterDocumentationProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        foreach (var (info, parameter) in context.Parameters)
        {
            if (info.GetCustomAttribute<MinimumAttribute>() is { } minimum && parameter.Schema is { } schema)
                schema.Minimum = minimum.Value;

            if (info.GetCustomAttribute<DocumentedDefaultAttribute>() is { } documented && parameter.Schema is { } withDefault)
                withDefault.Default = documented.Value;

            if (info.GetCustomAttribute<ExtensionAttribute>() is not null)
            {
                parameter.ExtensionData ??= new Dictionary<string, object?>();
                parameter.ExtensionData["x-orchestrator-extension"] = true;
            }
        }

        return true;
    }
}
