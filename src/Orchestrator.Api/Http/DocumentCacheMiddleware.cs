using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Api.Http;

/// <summary>
/// Answers a jobs document from <see cref="IDocumentCache"/> when the database has not changed since it was
/// written, and keeps each new 200 document up to <see cref="DocumentShelf.MaxDocumentBytes"/>. It runs after
/// authentication, authorization and rate limiting, and inside <see cref="ConditionalGetMiddleware"/>, so a
/// cached document gets the same checks, the same ETag and the same 304. The key is the URL as links are built
/// from it (scheme, host, path base), so a document never carries another host's links.
/// <c>/nodes</c> is never kept: a running node's duration grows with the clock, not with the database.
/// </summary>
public sealed class DocumentCacheMiddleware(RequestDelegate next, IDocumentCache cache)
{
    private const string JobsPath = "/orchestrator/v1/jobs";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method)
            || !request.Path.StartsWithSegments(JobsPath)
            || request.Path.Value!.EndsWith("/nodes", StringComparison.Ordinal)
            || cache.Current() is not { } shelf)
        {
            await next(context);
            return;
        }

        var key = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        if (shelf.TryGet(key, out var document))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = document.ContentType;
            context.Response.ContentLength = document.Body.Length;
            await context.Response.Body.WriteAsync(document.Body, context.RequestAborted);
            return;
        }

        var original = context.Response.Body;
        await using var copy = new CopyingStream(original, DocumentShelf.MaxDocumentBytes);
        context.Response.Body = copy;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode == StatusCodes.Status200OK && copy.Copied is { } body)
            shelf.Add(key, new CachedDocument(body, context.Response.ContentType));
    }

    /// <summary>Passes every write on, and keeps a copy of the bytes until there are more than it may keep.</summary>
    private sealed class CopyingStream(Stream inner, int limit) : Stream
    {
        private MemoryStream? _copy = new();

        public byte[]? Copied => _copy?.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (_copy is null)
                return;
            if (_copy.Length + bytes.Length > limit)
            {
                _copy.Dispose();
                _copy = null;
                return;
            }

            _copy.Write(bytes);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _copy?.Dispose();
            base.Dispose(disposing);
        }
    }
}
