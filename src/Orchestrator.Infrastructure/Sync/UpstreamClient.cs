using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace Orchestrator.Infrastructure.Sync;

/// <summary>A document (fresh, or kept and revalidated), a body-less 304 to a caller's stored ETag, or gone (404).</summary>
public sealed record UpstreamDocument(string Path, byte[]? Body, string? ETag, bool NotModified)
{
    public bool Gone => Body is null && !NotModified;
}

/// <summary>GETs against the upstream's jobs API, with bounded retries, <c>Retry-After</c> and <c>If-None-Match</c>.</summary>
public sealed class UpstreamClient : IDisposable
{
    private const int MaxAttempts = 5;
    private const int MaxRateLimitWaits = 10;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    private readonly SyncOptions _options;
    private readonly HttpClient _http;
    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = 64L * 1024 * 1024 });
    private int _reached;
    private int _requests;
    private int _notModified;

    public UpstreamClient(SyncOptions options, Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    {
        _options = options;
        var handler = CreateHandler(options);
        _http = new HttpClient(wrap is null ? handler : wrap(handler)) { BaseAddress = options.Root };
    }

    public int Requests => Volatile.Read(ref _requests);

    public int NotModified => Volatile.Read(ref _notModified);

    /// <summary>The upstream URL of <paramref name="path"/>, the API root included: what stored ETags are keyed on.</summary>
    public string UrlOf(string path) => new Uri(_options.Root, path).AbsoluteUri;

    /// <summary>The path of a URL from <see cref="UrlOf"/>, or null when it is another upstream's.</summary>
    public string? PathOf(string url) =>
        url.StartsWith(_options.Root.AbsoluteUri, StringComparison.Ordinal) ? url[_options.Root.AbsoluteUri.Length..] : null;

    public string Describe(string path) => $"GET {new Uri(_options.Root, path).PathAndQuery}";

    /// <summary>With no answer kept, <paramref name="storedETag"/> is sent, and its 304 comes back without a body.</summary>
    public async Task<UpstreamDocument> GetAsync(string path, bool keep, string? storedETag, CancellationToken ct)
    {
        var kept = _kept.Get<KeptDocument>(path);
        var etagSent = kept?.ETag ?? storedETag;
        var failures = 0;
        var rateLimited = 0;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (_options.Token is not null)
                request.Headers.TryAddWithoutValidation("X-Authentication", _options.Token);
            if (etagSent is not null && EntityTagHeaderValue.TryParse(etagSent, out var tag))
                request.Headers.IfNoneMatch.Add(tag);

            HttpResponseMessage response;
            byte[]? body = null;
            try
            {
                Interlocked.Increment(ref _requests);
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                    body = await response.Content.ReadAsByteArrayAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                if (e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
                    throw new SyncStoppedException(SyncStop.Unreachable,
                        $"{Describe(path)}: the TLS connection failed ({Reason(e)}); is the upstream's CA given with --cacert?", e);
                // An upstream never reached in this process is down or misnamed: say so now, within the connect timeout.
                if (Volatile.Read(ref _reached) == 0 || ++failures >= MaxAttempts)
                    throw new SyncStoppedException(SyncStop.Unreachable, $"{Describe(path)}: the upstream cannot be reached ({Reason(e)})", e);
                await Task.Delay(Backoff(failures), ct);
                continue;
            }

            using (response)
            {
                Volatile.Write(ref _reached, 1);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        var etag = response.Headers.ETag?.ToString();
                        if (keep && etag is not null)
                            _kept.Set(path, new KeptDocument(etag, body!), new MemoryCacheEntryOptions { Size = body!.Length });
                        else if (kept is not null)
                            _kept.Remove(path);
                        return new UpstreamDocument(path, body, etag, NotModified: false);
                    case HttpStatusCode.NotModified when etagSent is not null:
                        Interlocked.Increment(ref _notModified);
                        return new UpstreamDocument(path, kept?.Body, etagSent, NotModified: true);
                    case HttpStatusCode.NotFound:
                        return new UpstreamDocument(path, null, null, NotModified: false);
                    case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                        throw new SyncStoppedException(SyncStop.Refused,
                            $"{Describe(path)}: refused ({(int)response.StatusCode}{await ErrorOf(response, ct)}): the token needs the permission "
                            + "\"Job orchestrator: start, stop and view jobs\" (orchestrator:view)");
                    case HttpStatusCode.TooManyRequests:
                        if (++rateLimited > MaxRateLimitWaits)
                            throw new UpstreamException($"{Describe(path)}: still rate limited (429) after {MaxRateLimitWaits} waits");
                        await Task.Delay(RetryAfter(response) ?? Backoff(rateLimited), ct);
                        continue;
                    case >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout:
                        if (++failures >= MaxAttempts)
                            throw new UpstreamException($"{Describe(path)}: {(int)response.StatusCode}{await ErrorOf(response, ct)} after {failures} attempts");
                        await Task.Delay(Backoff(failures), ct);
                        continue;
                    default:
                        throw new UpstreamException($"{Describe(path)}: unexpected {(int)response.StatusCode}{await ErrorOf(response, ct)}");
                }
            }
        }
    }

    public void Forget(string path) => _kept.Remove(path);

    public void Dispose()
    {
        _http.Dispose();
        _kept.Dispose();
    }

    // With TrustedRoots the certificate must chain to Puppet's CA, not to the system's store. Puppet's CRL is not
    // reachable over HTTP, so revocation is not checked online.
    private static SocketsHttpHandler CreateHandler(SyncOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(2, options.Concurrency + 1),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (options.TrustedRoots.Count > 0)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(options.TrustedRoots);
            policy.ExtraStore.AddRange(options.TrustedRoots);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }
        return handler;
    }

    private static string Reason(Exception e) =>
        e is OperationCanceledException ? "timed out" : (e.InnerException?.Message ?? e.Message).TrimEnd('.');

    private TimeSpan Backoff(int attempt)
    {
        var delay = _options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = delay < _options.MaxBackoff ? delay : _options.MaxBackoff;
        return capped * (0.8 + 0.4 * Random.Shared.NextDouble());
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? header?.Date - DateTimeOffset.UtcNow;
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, MaxRetryAfter.Ticks)) : null;
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var kind = error.RootElement.TryGetProperty("kind", out var k) ? k.GetString() : null;
            var msg = error.RootElement.TryGetProperty("msg", out var m) ? m.GetString() : null;
            return kind is null ? "" : $" {kind}{(msg is null ? "" : $": {msg}")}";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or HttpRequestException or IOException)
        {
            return "";
        }
    }

    private sealed record KeptDocument(string ETag, byte[] Body);
}
