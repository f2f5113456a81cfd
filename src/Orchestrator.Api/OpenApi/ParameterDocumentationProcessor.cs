using System.Reflection;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Orchestrator.Api.OpenApi;

/// <summary>Writes <see cref="MinimumAttribute"/>, <see cref="DocumentedDefaultAttribute"/> and <see cref="ExtensionAttribute"/> into each parameter's schema.</summary>
internal sealed class ParameterDocumentationProcessor : IOperationProcessor
{
    public const string ExtensionKey = "x-orchestrator-extension";

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
                parameter.ExtensionData[ExtensionKey] = true;
            }
        }

        return true;
    }
}
