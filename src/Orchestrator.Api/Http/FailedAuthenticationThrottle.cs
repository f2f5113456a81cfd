using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Authentication;

namespace Orchestrator.Api.Http;

/// <summary>
/// Once an address has had <c>RateLimit:FailedAuthPerMinute</c> 401s in a minute, its requests with credentials get
/// 429 until the window ends, a right guess included, so guessing cannot go on at speed.
/// </summary>
public sealed class FailedAuthenticationThrottleMiddleware : IMiddleware, IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? _failures;

    public FailedAuthenticationThrottleMiddleware(IOptions<RateLimitOptions> options)
    {
        var perMinute = options.Value.FailedAuthPerMinute;
        if (perMinute > 0)
        {
            _failures = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
                ClientKey(context.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        }
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_failures is null || !Credentials.Sent(context.Request))
        {
            await next(context);
            return;
        }

        // Zero permits asks whether the window has any left without spending one.
        using (var left = _failures.AttemptAcquire(context, 0))
        {
            if (!left.IsAcquired)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                RateLimiting.SetRetryAfter(context.Response, left);
                return;
            }
        }

        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            _failures.AttemptAcquire(context, 1).Dispose();
    }

    public void Dispose() => _failures?.Dispose();

    /// <summary>An IPv4 address, or an IPv6 address's /64: one subscriber usually holds a whole /64.</summary>
    private static string ClientKey(IPAddress? address)
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
