using Microsoft.Net.Http.Headers;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Api.Http;

/// <summary>A whole 200 response as the API wrote it: body, content type and the ETag of the body.</summary>
public sealed record CachedDocument(byte[] Body, string? ContentType, string Tag);

/// <summary>
/// Conditional GET for the jobs API: a strong ETag that is the SHA-256 of the document's bytes, and <c>304 Not
/// Modified</c> when <c>If-None-Match</c> names it. <c>Cache-Control: private, no-cache</c>: credentials travel in
/// headers shared caches do not vary on, so only the client's own cache may keep a document.
/// </summary>
/// <remarks>
/// Nothing is sent before the whole document is written (<see cref="HashingBodyBuffer"/>), so the tag can go in the
/// headers and a failure half-way still gets an error body. The 200 documents of <see cref="CachedDocumentAttribute"/>
/// actions are kept under the data version and <see cref="DocumentKeys"/>, and answered again without running the
/// action while <see cref="LatestDataVersion"/> reads that version. It runs after authentication, authorization and
/// rate limiting, so a kept document gets the same checks.
/// </remarks>
public sealed class ConditionalGetMiddleware(RequestDelegate next, VersionedCache<CachedDocument> documents)
{
    public const string PathPrefix = "/orchestrator";

    /// <summary>Bodies up to this size stay in memory; larger ones spill to a temporary file.</summary>
    public const int MemoryThreshold = 128 * 1024;

    /// <summary>A bigger document is not kept: it is rarely polled, and it would crowd out many small ones.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context, LatestDataVersion latest, RequestSnapshot snapshot)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || !request.Path.StartsWithSegments(PathPrefix))
        {
            await next(context);
            return;
        }

        var key = documents.Enabled ? DocumentKeys.Of(context) : null;
        var version = key is null ? 0 : await latest.ReadAsync(context.RequestAborted);
        if (key is not null && documents.TryGet(version, key, out var kept))
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
            if (key is not null && body.Length <= MaxDocumentBytes)
            {
                // The snapshot's version is exact where the request read one; otherwise the snapshot began after
                // `version` was read, so it holds that commit or a later one.
                var document = new CachedDocument(await body.ToArrayAsync(context.RequestAborted), context.Response.ContentType, tag);
                documents.Set(snapshot.Version ?? version, key, document, document.Body.Length + key.Length * 2L);
            }

            if (NotModified(context, tag))
                return;
            context.Response.ContentLength = body.Length;
        }

        // Other statuses keep their headers as written: an empty 404 must stay without a length, or the
        // status-code pages middleware would not write its error body.
        if (body.Length > 0)
            await body.CopyBodyToAsync(original, context.RequestAborted);
    }

    /// <summary>Tags a 200 document; when <c>If-None-Match</c> names the tag, turns the answer into a 304 with no body.</summary>
    private static bool NotModified(HttpContext context, string tag)
    {
        var etag = new EntityTagHeaderValue($"\"{tag}\"");
        context.Response.Headers.ETag = etag.ToString();
        context.Response.Headers.CacheControl = "private, no-cache";
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
