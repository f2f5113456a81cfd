using System.Collections.Concurrent;

namespace Orchestrator.Api.Http;

/// <summary>
/// For load tests only, off unless <c>Benchmark:CeilingEndpoint=true</c> (never set it in production):
/// <c>GET /benchmark/ceiling?path=/orchestrator/v1/jobs?limit=20</c> answers the bytes the real request answered,
/// fetched once from this same server and then served from memory. The ceiling is what Kestrel and the pipeline
/// cost for the same document without the handler, the database and the ETag hash; see docs/performance.md.
/// </summary>
public static class BenchmarkCeiling
{
    public const string Setting = "Benchmark:CeilingEndpoint";
    public const string Route = "/benchmark/ceiling";

    private static readonly ConcurrentDictionary<string, Lazy<Task<(byte[] Body, string ContentType)>>> Documents = new();
    private static readonly HttpClient Client = new();

    public static WebApplication MapBenchmarkCeiling(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(Setting))
            return app;

        app.MapGet(Route, async (HttpContext context, string path) =>
        {
            if (!path.StartsWith(ConditionalGetMiddleware.PathPrefix + "/", StringComparison.Ordinal))
                return Results.BadRequest();
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            var (body, contentType) = await Documents.GetOrAdd(path, key => new(() => FetchAsync(new Uri(origin + key)))).Value;
            return Results.Bytes(body, contentType);
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task<(byte[], string)> FetchAsync(Uri uri)
    {
        using var response = await Client.GetAsync(uri);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.ToString() ?? "application/json");
    }
}
