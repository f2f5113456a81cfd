using Microsoft.Net.Http.Headers;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Api.Http;

/// <summary>
/// Conditional GET for the jobs API: a strong ETag that is the SHA-256 of the document's bytes, so it changes
/// exactly when the document does (job, node, event, status or link), and <c>304 Not Modified</c> with no
/// body when <c>If-None-Match</c> names it. Dashboards that poll every few seconds get a few headers back
/// instead of the document. <c>Cache-Control: no-cache</c> makes caches revalidate every time.
/// </summary>
/// <remarks>
/// The body is hashed as it is written and held in a <see cref="HashingBodyBuffer"/>: the first
/// <see cref="MemoryThreshold"/> bytes in memory, the rest of a large document in a temporary file, so a
/// 10,000-node document costs the server a file, not its size in memory. Nothing is sent before the whole
/// document is written: the tag goes in the headers, and a failure half-way (the database going away while
/// items stream) still reaches the exception handler while the response can be replaced by an error body.
/// <para>
/// A 200 document of up to <see cref="DocumentShelf.MaxDocumentBytes"/> is kept, with its tag, in
/// <see cref="IDocumentCache"/> and answered again, without running its action, until the database changes. This
/// runs after authentication, authorization and rate limiting, so a kept document gets the same checks. The key
/// is the URL as links are built from it (scheme, host, path base), so a document never carries another host's
/// links. <c>/nodes</c> is never kept: a running node's duration grows with the clock, not with the database.
/// </para>
/// </remarks>
public sealed class ConditionalGetMiddleware(RequestDelegate next)
{
    public const string PathPrefix = "/orchestrator";

    /// <summary>Bodies up to this size stay in memory; larger ones spill to a temporary file.</summary>
    public const int MemoryThreshold = 128 * 1024;

    private const string JobsPath = "/orchestrator/v1/jobs";

    public async Task InvokeAsync(HttpContext context, IDocumentCache documents)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || !request.Path.StartsWithSegments(PathPrefix))
        {
            await next(context);
            return;
        }

        var shelf = Reusable(request.Path) ? documents.Current() : null;
        var key = shelf is null ? null : $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        if (shelf is not null && shelf.TryGet(key!, out var kept))
        {
            context.Response.ContentType = kept.ContentType;
            if (!NotModified(context, kept.Tag))
            {
                context.Response.ContentLength = kept.Body.Length;
                await context.Response.Body.WriteAsync(kept.Body, context.RequestAborted);
            }

            return;
        }

        var original = context.Response.Body;
        using var body = new HashingBodyBuffer(MemoryThreshold);
        context.Response.Body = body;
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
            var tag = body.Tag();
            if (shelf is not null && body.Length <= DocumentShelf.MaxDocumentBytes)
                shelf.Add(key!, new CachedDocument(await body.ToArrayAsync(context.RequestAborted), context.Response.ContentType, tag));
            if (NotModified(context, tag))
                return;
            context.Response.ContentLength = body.Length;
        }

        // Other statuses keep their headers as written: an empty 404 must stay without a length, or the
        // status-code pages middleware would not re-execute it into an error body.
        if (body.Length > 0)
            await body.CopyBodyToAsync(original, context.RequestAborted);
    }

    private static bool Reusable(PathString path) =>
        path.StartsWithSegments(JobsPath) && !path.Value!.EndsWith("/nodes", StringComparison.Ordinal);

    /// <summary>Tags a 200 document; when <c>If-None-Match</c> names the tag, turns the answer into a 304 with no body.</summary>
    private static bool NotModified(HttpContext context, string tag)
    {
        var etag = new EntityTagHeaderValue($"\"{tag}\"");
        context.Response.Headers.ETag = etag.ToString();
        context.Response.Headers.CacheControl = "no-cache";
        if (!Matches(context.Request, etag))
            return false;
        context.Response.StatusCode = StatusCodes.Status304NotModified;
        context.Response.ContentLength = null;
        context.Response.Headers.ContentType = default;
        return true;
    }

    // If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x"; * matches any current document.
    private static bool Matches(HttpRequest request, EntityTagHeaderValue etag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false));
}
