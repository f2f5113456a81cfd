using Microsoft.Net.Http.Headers;

namespace Orchestrator.Api.Http;

internal static class CorsSetup
{
    public const string Section = "Cors:AllowedOrigins";

    /// <summary>With no <c>Cors:AllowedOrigins</c> (the default) no cross-origin request is allowed.</summary>
    public static IServiceCollection AddOrchestratorCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection(Section).Get<string[]>() ?? [];
        return services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            if (origins.Length == 0)
                return;
            policy.WithOrigins(origins)
                .WithMethods(HttpMethods.Get)
                .WithHeaders("Accept", "Content-Type", "If-None-Match", "Authorization", "X-Authentication")
                .WithExposedHeaders("ETag")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
    }

    /// <summary><c>Vary: Origin</c> on every answer while origins are configured, even those CORS skips (no Origin).</summary>
    public static WebApplication UseOrchestratorCors(this WebApplication app)
    {
        if ((app.Configuration.GetSection(Section).Get<string[]>() ?? []).Length > 0)
        {
            app.Use((context, next) =>
            {
                var response = context.Response;
                response.OnStarting(() =>
                {
                    if (!response.Headers.Vary.Contains(HeaderNames.Origin))
                        response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
                    return Task.CompletedTask;
                });
                return next(context);
            });
        }

        app.UseCors();
        return app;
    }
}
