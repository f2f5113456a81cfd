using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Orchestrator.Api.Http;

/// <summary>The <c>RateLimit</c> section; off (0 permits) by default.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";
    public const string Policy = "per-client";

    /// <summary>Requests one client may make per window; 0 turns the limit off.</summary>
    public int PermitsPerWindow { get; set; }

    public int WindowSeconds { get; set; } = 1;
}

internal static class RateLimiting
{
    /// <summary>
    /// A fixed window per client: the authenticated caller's name, else the remote address. A refused request
    /// gets 429 in the error shape (re-executed into the error filter) with <c>Retry-After</c>.
    /// </summary>
    public static IServiceCollection AddOrchestratorRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            limiter.AddPolicy(RateLimitOptions.Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (options.PermitsPerWindow <= 0)
                    return RateLimitPartition.GetNoLimiter("off");
                var client = context.User.Identity?.IsAuthenticated == true
                    ? "user:" + context.User.Identity.Name
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitsPerWindow,
                    Window = TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds)),
                    QueueLimit = 0,
                });
            });
        });
    }
}
