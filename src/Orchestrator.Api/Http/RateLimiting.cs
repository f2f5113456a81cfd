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

    /// <summary>
    /// Failed authentications one client address may make per minute before requests with credentials get 429;
    /// 0 turns the throttle off. On by default: a person or a dashboard with a stale token does not fail this often.
    /// </summary>
    public int FailedAuthPerMinute { get; set; } = 30;
}

internal static class RateLimiting
{
    /// <summary>
    /// A fixed window per client: the API token's name or the JWT's subject, else the remote address. A refused request
    /// gets 429 in the error shape (re-executed into the error filter) with <c>Retry-After</c>.
    /// </summary>
    public static IServiceCollection AddOrchestratorRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<FailedAuthenticationThrottle>();
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
                return RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitsPerWindow,
                    Window = TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds)),
                    QueueLimit = 0,
                });
            });
        });
    }

    /// <summary>
    /// Whose window a request counts against. Token names are unique (checked at start-up) and JWT subjects are
    /// the issuer's; a caller with neither counts against its address, never against a key shared by accident.
    /// </summary>
    internal static string ClientKey(HttpContext context)
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
