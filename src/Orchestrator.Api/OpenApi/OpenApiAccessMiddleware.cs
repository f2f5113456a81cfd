using Microsoft.AspNetCore.Authorization;
using Orchestrator.Api.Authentication;

namespace Orchestrator.Api.OpenApi;

/// <summary><c>OpenApi:RequireAuth</c> applies the jobs' policy here: NSwag serves the document from middleware.</summary>
public sealed class OpenApiAccessMiddleware(RequestDelegate next, IConfiguration configuration, IAuthorizationService authorization)
{
    private readonly bool _requireAuth = configuration.GetValue<bool>("OpenApi:RequireAuth");

    public async Task InvokeAsync(HttpContext context)
    {
        if (_requireAuth && context.Request.Path.StartsWithSegments("/swagger"))
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
