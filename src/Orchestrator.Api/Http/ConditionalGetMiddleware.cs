using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Orchestrator.Api.Http;

/// <summary>
/// Conditional GET for the jobs API: a strong ETag that is the SHA-256 of the document's bytes, so it changes
/// exactly when the document does (job, node, event, status or link), and <c>304 Not Modified</c> with no
/// body when <c>If-None-Match</c> names it. Dashboards that poll every few seconds get a few headers back
/// instead of the document. <c>Cache-Control: no-cache</c> makes caches revalidate every time.
/// </summary>
public sealed class ConditionalGetMiddleware(RequestDelegate next)
{
    public const string PathPrefix = "/orchestrator";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Path.StartsWithSegments(PathPrefix))
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode == StatusCodes.Status200OK)
        {
            var etag = new EntityTagHeaderValue($"\"{Tag(buffer)}\"");
            context.Response.Headers.ETag = etag.ToString();
            context.Response.Headers.CacheControl = "no-cache";
            if (Matches(context.Request, etag))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                context.Response.ContentLength = null;
                context.Response.Headers.ContentType = default;
                return;
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static string Tag(MemoryStream buffer)
    {
        var hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    // If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x"; * matches any current document.
    private static bool Matches(HttpRequest request, EntityTagHeaderValue etag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false));
}
