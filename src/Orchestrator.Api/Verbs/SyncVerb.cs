using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.Infrastructure.Sync;

namespace Orchestrator.Api.Verbs;

/// <summary>The <c>sync</c> verb (docs/sync.md): exit 2 on bad usage, otherwise <see cref="SyncSummary.ExitCode"/>.</summary>
internal static class SyncVerb
{
    private const string Usage =
        "Usage: sync --from <service URL> [--token-file F] [--cacert F] [--watch SECONDS] [--concurrency N] [--prune]   " +
        "(the token defaults to ~/.puppetlabs/token; --cacert is Puppet's CA, /etc/puppetlabs/puppet/ssl/certs/ca.pem)";

    private const int UsageError = 2;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var parsed = await ParseAsync(args, error);
        if (parsed is null)
            return UsageError;
        var (options, watch) = parsed.Value;

        await services.GetRequiredService<DatabaseInitializer>().MigrateIfAllowedAsync();

        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        using var upstream = new UpstreamClient(options);
        var display = new SyncDisplay(output, error, terminal: !Console.IsOutputRedirected);
        var synchronizer = new JobSynchronizer(services.GetRequiredService<IServiceScopeFactory>(), upstream, options, display.Problem);
        await output.WriteLineAsync($"Mirroring {options.Root}{(watch is null ? "" : $" every {watch.Value.TotalSeconds:0} s")} into the configured database.");
        while (true)
        {
            var summary = await display.RunOnceAsync(synchronizer, stopping.Token);

            // A watcher outlives upstream outages and failed jobs; a refused token needs a person.
            if (watch is null || summary.Stop == SyncStop.Refused)
                return summary.ExitCode;
            await Task.Delay(watch.Value, stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stopping.IsCancellationRequested)
                return 0;
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    private static async Task<(SyncOptions Options, TimeSpan? Watch)?> ParseAsync(string[] args, TextWriter error)
    {
        string? from = null, tokenFile = null, caFile = null;
        int? watchSeconds = null;
        var concurrency = 4;
        var prune = false;
        for (var i = 0; i < args.Length; i++)
        {
            var ok = args[i] switch
            {
                "--from" when i + 1 < args.Length => (from = args[++i]) is not null,
                "--token-file" when i + 1 < args.Length => (tokenFile = args[++i]) is not null,
                "--cacert" when i + 1 < args.Length => (caFile = args[++i]) is not null,
                "--watch" when i + 1 < args.Length && TryWhole(args[++i], 1, 86_400, out var seconds) => (watchSeconds = seconds) > 0,
                "--concurrency" when i + 1 < args.Length && TryWhole(args[++i], 1, 64, out var n) => (concurrency = n) > 0,
                "--prune" => prune = true,
                _ => false,
            };
            if (!ok)
                return await FailAsync(error, $"{Usage}   (--watch 1-86400 seconds, --concurrency 1-64)");
        }
        if (from is null)
            return await FailAsync(error, $"{Usage}   (--from is required)");
        if (!SyncOptions.TryParseRoot(from, out var root, out var problem))
            return await FailAsync(error, problem);

        string? token = null;
        var tokenPath = tokenFile is null
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".puppetlabs", "token")
            : CommandLine.ResolvePath(tokenFile);
        if (File.Exists(tokenPath))
        {
            try
            {
                token = (await File.ReadAllTextAsync(tokenPath)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return await FailAsync(error, $"--token-file {tokenPath}: {e.Message}");
            }
            if (token.Length == 0 || token.Any(char.IsControl))
                return await FailAsync(error, $"--token-file {tokenPath}: not a token (empty, or more than one line)");
        }
        else if (tokenFile is not null)
            return await FailAsync(error, $"--token-file {tokenPath}: no such file");
        else
            await error.WriteLineAsync($"No token at {tokenPath}: requests go without one (puppet access login writes it; or give --token-file).");

        var roots = new X509Certificate2Collection();
        if (caFile is not null)
        {
            var caPath = CommandLine.ResolvePath(caFile);
            try
            {
                roots.ImportFromPemFile(caPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                return await FailAsync(error, $"--cacert {caPath}: {e.Message}");
            }
            if (roots.Count == 0)
                return await FailAsync(error, $"--cacert {caPath}: no PEM certificate in it");
        }

        var options = new SyncOptions { Root = root, Token = token, TrustedRoots = roots, Concurrency = concurrency, Prune = prune };
        return (options, watchSeconds is { } w ? TimeSpan.FromSeconds(w) : null);
    }

    private static async Task<(SyncOptions, TimeSpan?)?> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync(message);
        return null;
    }

    private static bool TryWhole(string text, int minimum, int maximum, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= minimum && value <= maximum;
}
