using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Authentication;

namespace Orchestrator.Api.Http;

/// <summary>
/// Counts failed authentication (401 to a request that carried credentials) per client address (an IPv6
/// address's /64), before any credential is checked: once an address has failed <c>RateLimit:FailedAuthPerMinute</c> times in a minute,
/// every request from it that carries credentials gets 429 <c>rate-limited</c> with <c>Retry-After</c> (re-executed
/// into the error filter) until the window ends, a right guess included, so guessing cannot go on at speed.
/// Requests without credentials, and the health probes they reach, are not counted.
/// </summary>
public sealed class FailedAuthenticationThrottleMiddleware(RequestDelegate next, FailedAuthenticationThrottle throttle)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The re-executed error request carries the same headers; it must get through to write the body.
        if (throttle.Failures is not { } failures || context.Features.Get<IStatusCodeReExecuteFeature>() is not null || !Credentials.Sent(context.Request))
        {
            await next(context);
            return;
        }

        // Zero permits asks whether the window has any left without spending one.
        using (var left = failures.AttemptAcquire(context, 0))
        {
            if (!left.IsAcquired)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (left.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return;
            }
        }

        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            failures.AttemptAcquire(context, 1).Dispose();
    }
}

/// <summary>The failure counts behind <see cref="FailedAuthenticationThrottleMiddleware"/>, one window per client address.</summary>
public sealed class FailedAuthenticationThrottle : IDisposable
{
    public FailedAuthenticationThrottle(IOptions<RateLimitOptions> options)
    {
        var perMinute = options.Value.FailedAuthPerMinute;
        if (perMinute > 0)
        {
            Failures = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
                ClientKey(context.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        }
    }

    /// <summary>Null when <c>RateLimit:FailedAuthPerMinute</c> is 0.</summary>
    public PartitionedRateLimiter<HttpContext>? Failures { get; }

    public void Dispose() => Failures?.Dispose();

    /// <summary>An IPv4 address, or an IPv6 address's /64: one subscriber usually holds a whole /64.</summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
            return "";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
