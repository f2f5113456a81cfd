using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Authentication;

namespace Orchestrator.Api.OpenApi;

/// <summary><c>OpenApi:RequireAuth</c>: when true, the document and Swagger UI need the same permission as the jobs.</summary>
public sealed class OpenApiOptions
{
    public const string Section = "OpenApi";

    public bool RequireAuth { get; set; }
}

/// <summary>NSwag serves the document from middleware, not an endpoint, so the policy is applied here.</summary>
public sealed class OpenApiAccessMiddleware(RequestDelegate next, IOptions<OpenApiOptions> options, IAuthorizationService authorization)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (options.Value.RequireAuth && context.Request.Path.StartsWithSegments("/swagger"))
        {
            var result = await authorization.AuthorizeAsync(context.User, AuthSetup.ViewJobsPolicy);
            if (!result.Succeeded)
            {
                context.Response.StatusCode = context.User.Identity?.IsAuthenticated == true
                    ? StatusCodes.Status403Forbidden
                    : StatusCodes.Status401Unauthorized;
                return;
            }
        }

        await next(context);
    }
}
