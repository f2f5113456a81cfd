using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Orchestrator.Api.Http;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";
    public const string Policy = "per-client";

    public int PermitsPerWindow { get; set; }

    public int WindowSeconds { get; set; } = 1;

    /// <summary>On by default: a person or a dashboard with a stale token does not fail this often.</summary>
    public int FailedAuthPerMinute { get; set; } = 30;
}

internal static class RateLimiting
{
    public static IServiceCollection AddOrchestratorRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<FailedAuthenticationThrottleMiddleware>();
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                SetRetryAfter(context.HttpContext.Response, context.Lease);
                return ValueTask.CompletedTask;
            };
            limiter.AddPolicy(RateLimitOptions.Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (options.PermitsPerWindow <= 0)
                    return RateLimitPartition.GetNoLimiter("off");
                return RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitsPerWindow,
                    Window = TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds)),
                    QueueLimit = 0,
                });
            });
        });
    }

    public static void SetRetryAfter(HttpResponse response, RateLimitLease lease)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Token names are unique (checked at start-up), so no two callers share a window by accident.</summary>
    private static string ClientKey(HttpContext context)
    {
        if (context.User.Identity is { IsAuthenticated: true } identity)
        {
            if (identity.AuthenticationType == Authentication.ApiTokenAuthenticationHandler.SchemeName && !string.IsNullOrEmpty(identity.Name))
                return "token:" + identity.Name;
            var subject = context.User.FindFirst("sub")?.Value;
            if (!string.IsNullOrEmpty(subject))
                return "jwt:" + subject;
        }

        return "ip:" + context.Connection.RemoteIpAddress;
    }
}
