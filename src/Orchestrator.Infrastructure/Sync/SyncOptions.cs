using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Infrastructure.Sync;

/// <summary>What the <c>sync</c> verb was given, and the limits of its politeness towards the upstream.</summary>
public sealed class SyncOptions
{
    /// <summary>The upstream's jobs API root, ending in <c>/orchestrator/v1/</c>.</summary>
    public required Uri Root { get; init; }

    /// <summary>The RBAC token sent in <c>X-Authentication</c>; null sends none (an upstream without authentication).</summary>
    public string? Token { get; init; }

    /// <summary>When not empty, the only trust anchors for the upstream's certificate (Puppet's CA).</summary>
    public X509Certificate2Collection TrustedRoots { get; init; } = [];

    /// <summary>How many jobs are read from the upstream at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Whether local jobs the upstream no longer has are deleted.</summary>
    public bool Prune { get; init; }

    /// <summary>Jobs per <c>/jobs</c> page: a run with nothing new lists one page.</summary>
    public int JobPageSize { get; init; } = 100;

    public int NodePageSize { get; init; } = 1000;

    /// <summary>A <c>limit</c> for <c>/events</c>, or null to take the upstream's own page (it follows <c>next-events</c> either way).</summary>
    public int? EventPageSize { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Attempts per request on a 5xx answer or a network error, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first wait before a retry; each further one doubles, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many 429 answers one request waits out before the request fails.</summary>
    public int MaxRateLimitWaits { get; init; } = 10;

    /// <summary>The longest <c>Retry-After</c> honoured as given; longer ones are cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Bytes of upstream documents kept with their ETags for <c>If-None-Match</c> within one process.</summary>
    public long ConditionalCacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Makes <c>--from</c> (a service root, with or without <c>/orchestrator/v1</c>) the API root, or explains why not.</summary>
    public static bool TryParseRoot(string text, out Uri root, out string problem)
    {
        root = null!;
        problem = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problem = $"--from: not an https URL: {text}";
            return false;
        }
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            problem = $"--from: {text} is plain http: the token would cross the network in clear; use https (http is accepted on loopback only)";
            return false;
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            problem = $"--from: give the service root only, without a query, fragment or user: {text}";
            return false;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/orchestrator/v1", StringComparison.Ordinal))
            path += "/orchestrator/v1";
        root = new UriBuilder(uri) { Path = path + "/" }.Uri;
        return true;
    }
}
