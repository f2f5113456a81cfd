using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Caching.Memory;
using Orchestrator.Api.Authentication;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Http;

/// <summary>
/// For load tests only (docs/performance.md): <c>GET /benchmark/ceiling?path=/orchestrator/v1/jobs?limit=20</c>
/// answers the bytes the real request answered, fetched once from this server's loopback address and port (never
/// the <c>Host</c> the client sent) and then served from memory.
/// </summary>
public static class BenchmarkCeiling
{
    public const string Setting = "Benchmark:CeilingEndpoint";
    public const string CacheSetting = "Benchmark:CeilingCacheMb";
    private const string PathParameter = "?path=";

    public static WebApplication MapBenchmarkCeiling(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(Setting))
            return app;

        var limit = Math.Clamp(app.Configuration.GetValue(CacheSetting, 64), 1, 1024) * 1024L * 1024L;
        var documents = new MemoryCache(new MemoryCacheOptions { SizeLimit = limit });
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false });
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            client.Dispose();
            documents.Dispose();
        });

        app.MapGet("/benchmark/ceiling", async (HttpContext context) =>
        {
            if (Target(context) is not { } target)
                return Invalid(context);
            if (documents.TryGetValue(target.AbsoluteUri, out Document? cached) && cached is not null)
                return Results.Bytes(cached.Body, cached.ContentType);

            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            foreach (var header in new[] { Credentials.TokenHeader, "Authorization" })
            {
                if (context.Request.Headers.TryGetValue(header, out var value))
                    request.Headers.TryAddWithoutValidation(header, (IEnumerable<string?>)value);
            }

            using var response = await client.SendAsync(request, context.RequestAborted);
            var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
            var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            if (response.StatusCode != HttpStatusCode.OK)
                return NotCopied(response.StatusCode, body, contentType);

            documents.Set(target.AbsoluteUri, new Document(body, contentType), new MemoryCacheEntryOptions { Size = Math.Max(1, body.Length) });
            return Results.Bytes(body, contentType);
        })
        .RequireAuthorization(AuthSetup.ViewJobsPolicy)
        .ExcludeFromDescription();
        return app;
    }

    /// <summary>Everything after <c>?path=</c>, so that an unencoded <c>&amp;offset=5</c> belongs to the URL fetched.</summary>
    private static Uri? Target(HttpContext context)
    {
        var query = context.Request.QueryString.Value;
        if (query is null || !query.StartsWith(PathParameter, StringComparison.Ordinal))
            return null;
        var path = Uri.UnescapeDataString(query[PathParameter.Length..]);
        if (!path.StartsWith(ConditionalGetMiddleware.PathPrefix + "/", StringComparison.Ordinal))
            return null;

        // Plain HTTP only: a loopback fetch could not verify the server's certificate, and it is never skipped.
        var connection = context.Features.Get<IHttpConnectionFeature>();
        if (connection is null || connection.LocalPort <= 0 || context.Features.Get<ITlsConnectionFeature>() is not null)
            return null;
        var origin = new UriBuilder(Uri.UriSchemeHttp, IPAddress.Loopback.ToString(), connection.LocalPort).Uri;
        // Dot segments are resolved here, so the path is checked again as it will be sent.
        return Uri.TryCreate(origin, path, out var target)
            && target.Authority == origin.Authority
            && target.AbsolutePath.StartsWith(ConditionalGetMiddleware.PathPrefix + "/", StringComparison.Ordinal)
                ? target
                : null;
    }

    private static OrchestratorError Invalid(HttpContext context) => OrchestratorErrors.Error(
        StatusCodes.Status400BadRequest, ErrorKinds.ValidationError,
        $"path must be a URL of this API under {ConditionalGetMiddleware.PathPrefix}/, and the ceiling is served over plain HTTP only",
        new() { ["path"] = OrchestratorErrors.Echo(context.Request.QueryString.Value) });

    /// <summary>An error document of the API is passed on (not kept); anything else, a redirect included, is a 502.</summary>
    private static IResult NotCopied(HttpStatusCode status, byte[] body, string contentType) =>
        (int)status is >= 400 and < 600
            ? Results.Content(System.Text.Encoding.UTF8.GetString(body), contentType, System.Text.Encoding.UTF8, (int)status)
            : OrchestratorErrors.Error(
                StatusCodes.Status502BadGateway, ErrorKinds.UnknownError,
                $"The fetch was answered {(int)status}; the ceiling copies only 200 answers and follows no redirect",
                new() { ["status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private sealed record Document(byte[] Body, string ContentType);
}
