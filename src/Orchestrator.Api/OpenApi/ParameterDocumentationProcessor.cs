using System.Reflection;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Orchestrator.Api.OpenApi;

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
