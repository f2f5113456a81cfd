using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Infrastructure.Sync;

/// <summary>What the <c>sync</c> verb was given, and the page sizes and waits the tests make small.</summary>
public sealed class SyncOptions
{
    /// <summary>The upstream's jobs API root, ending in <c>/orchestrator/v1/</c>.</summary>
    public required Uri Root { get; init; }

    /// <summary>Sent in <c>X-Authentication</c>; null sends none (an upstream without authentication).</summary>
    public string? Token { get; init; }

    /// <summary>When not empty, the only trust anchors for the upstream's certificate (Puppet's CA).</summary>
    public X509Certificate2Collection TrustedRoots { get; init; } = [];

    public int Concurrency { get; init; } = 4;

    public bool Prune { get; init; }

    public int JobPageSize { get; init; } = 100;

    public int NodePageSize { get; init; } = 1000;

    /// <summary>A <c>limit</c> for <c>/events</c>, or null for the upstream's own page size.</summary>
    public int? EventPageSize { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Makes <c>--from</c> (a service root, with or without <c>/orchestrator/v1</c>) the API root, or explains why not.</summary>
    public static bool TryParseRoot(string text, out Uri root, out string problem)
    {
        root = null!;
        problem = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            problem = $"--from: not an https URL: {text}";
        else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            problem = $"--from: {text} is plain http: the token would cross the network in clear; use https (http is accepted on loopback only)";
        else if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            problem = $"--from: give the service root only, without a query, fragment or user: {text}";
        else
        {
            var path = uri.AbsolutePath.TrimEnd('/');
            if (!path.EndsWith("/orchestrator/v1", StringComparison.Ordinal))
                path += "/orchestrator/v1";
            root = new UriBuilder(uri) { Path = path + "/" }.Uri;
        }
        return problem.Length == 0;
    }
}
