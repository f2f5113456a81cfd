using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Orchestrator.Api.Authentication;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// Declares how to authenticate: an API token in <c>X-Authentication</c>, or the same token (or a JWT) as an HTTP
/// bearer, either one required on every <c>/orchestrator</c> operation. Swagger UI then offers Authorize, and
/// generated clients know the header. Whether a server enforces it is its configuration (<c>Auth</c>).
/// </summary>
internal sealed class SecurityProcessor : IDocumentProcessor, IOperationProcessor
{
    public const string ApiKeyScheme = "X-Authentication";
    public const string BearerScheme = "Bearer";
    private const string JobsApiPrefix = "/orchestrator/";

    public void Process(DocumentProcessorContext context)
    {
        context.Document.SecurityDefinitions[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.ApiKey,
            Name = Credentials.TokenHeader,
            In = OpenApiSecurityApiKeyLocation.Header,
            Description = "An API token with the orchestrator:view permission (the orchestrator's own header).",
        };
        context.Document.SecurityDefinitions[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API token, or a JWT from the configured issuer, as Authorization: Bearer.",
        };
    }

    public bool Process(OperationProcessorContext context)
    {
        if (context.OperationDescription.Path.StartsWith(JobsApiPrefix, StringComparison.Ordinal))
        {
            var operation = context.OperationDescription.Operation;
            // Two requirements: either scheme satisfies the operation.
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [ApiKeyScheme] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [BearerScheme] = [] });
        }

        return true;
    }
}
