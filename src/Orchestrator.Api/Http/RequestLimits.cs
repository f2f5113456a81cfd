using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Http;

/// <summary>The <c>Limits</c> section: how long a URL and how large the headers of one request may be.</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Limits";

    public int MaxUrlLength { get; set; } = 16 * 1024;

    public int MaxHeadersSize { get; set; } = 32 * 1024;
}

/// <summary>
/// Turns away oversized requests with 414/431 in the error shape. Kestrel's own limits are set higher, so it only
/// answers (without a body) for requests far past these.
/// </summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limits = options.Value;
        var request = context.Request;
        var urlLength = request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (urlLength > limits.MaxUrlLength)
            return OrchestratorErrors.RequestTooLarge(StatusCodes.Status414RequestUriTooLong, $"The URL is longer than {limits.MaxUrlLength} characters", limits.MaxUrlLength).WriteAsync(context);

        var headersSize = request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0));
        if (headersSize > limits.MaxHeadersSize)
            return OrchestratorErrors.RequestTooLarge(StatusCodes.Status431RequestHeaderFieldsTooLarge, $"The headers are larger than {limits.MaxHeadersSize} characters", limits.MaxHeadersSize).WriteAsync(context);

        return next(context);
    }

    /// <summary>Kestrel's hard limits, above the application's, and no <c>Server</c> banner.</summary>
    public static void ConfigureKestrel(KestrelServerOptions kestrel, RequestLimitsOptions limits)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, limits.MaxUrlLength * 2);
        kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, limits.MaxHeadersSize * 2);
    }
}
