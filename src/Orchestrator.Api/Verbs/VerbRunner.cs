using Orchestrator.Infrastructure.Import;
using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using NSwag.Generation;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.Infrastructure.Seeding;

namespace Orchestrator.Api.Verbs;

/// <summary>The command-line verbs: <c>import &lt;file&gt;</c>, <c>seed [--jobs N] [--seed N] [--nodes-per-job MEAN] [--events-per-node MEAN] [--replace]</c>, <c>sync --from URL</c> (<see cref="SyncVerb"/>), <c>migrate</c>.</summary>
internal static class VerbRunner
{
    public const int Success = 0;
    public const int Failure = 2;

    public static async Task<int> RunAsync(WebApplication app, string verb, string[] args, TextWriter output, TextWriter error)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (verb)
        {
            case "import":
                await services.GetRequiredService<DatabaseInitializer>().MigrateIfAllowedAsync();
                return await ImportAsync(VerbContext(services),
                    app.Configuration.GetSection(ImportLimits.Section).Get<ImportLimits>() ?? new ImportLimits(), args, output, error);
            case "seed":
                await services.GetRequiredService<DatabaseInitializer>().MigrateIfAllowedAsync();
                return await SeedAsync(VerbContext(services), app.Environment, args, output, error);
            case "hash-token":
                return await HashTokenAsync(args, output, error);
            case "new-token":
                return await NewTokenAsync(args, output, error);
            case "openapi":
                return await WriteOpenApiAsync(services, args, output, error);
            case "sync":
                return await SyncVerb.RunAsync(services, args, output, error);
            case "migrate":
                await services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
                await output.WriteLineAsync("The database is up to date.");
                return Success;
            default:
                await error.WriteLineAsync($"Unknown verb '{verb}'.");
                await error.WriteAsync(CommandLine.Usage);
                return Failure;
        }
    }

    /// <summary>The read-write context, with the verbs' long command timeout (<c>migrate</c> sets it in <see cref="DatabaseInitializer"/>).</summary>
    private static OrchestratorDbContext VerbContext(IServiceProvider services) =>
        services.GetRequiredService<OrchestratorDbContext>()
            .UseVerbCommandTimeout(services.GetRequiredService<IOptions<DatabaseOptions>>().Value);

    private static async Task<int> ImportAsync(OrchestratorDbContext db, ImportLimits limits, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 1)
        {
            await error.WriteLineAsync("Usage: import <file>   (- reads standard input)");
            return Failure;
        }

        ImportResult result;
        try
        {
            await using var input = args[0] == "-" ? Console.OpenStandardInput() : File.OpenRead(CommandLine.ResolvePath(args[0]));
            result = await new JobImporter(db, limits).ImportAsync(input, CancellationToken.None);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"{args[0]}: {e.Message}");
            return Failure;
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync($"{args[0]}: {e.Message}");
            return Failure;
        }

        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems)
                await error.WriteLineAsync(problem);
            if (result.ProblemCount > result.Problems.Count)
                await error.WriteLineAsync($"… and {result.ProblemCount - result.Problems.Count} more problem(s) (Import:MaxProblems lists {result.Problems.Count}).");
            await error.WriteLineAsync($"Nothing was imported: {result.ProblemCount} problem(s).");
            return Failure;
        }

        await output.WriteLineAsync($"Imported {result.Jobs} jobs, {result.Nodes} nodes and {result.Events} events.");
        return Success;
    }

    private static async Task<int> SeedAsync(
        OrchestratorDbContext db, IHostEnvironment environment, string[] args, TextWriter output, TextWriter error)
    {
        var options = new SeedOptions();
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            var ok = args[i] switch
            {
                "--replace" => options.Replace = true,
                "--force" => force = true,
                "--jobs" when i + 1 < args.Length && TryPositive(args[++i], out var jobs) => (options.Jobs = jobs) > 0,
                "--seed" when i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var seed) => (options.Seed = seed) >= 0,
                "--nodes-per-job" when i + 1 < args.Length && TryMean(args[++i], 1, out var nodes) => (options.NodesPerJob = nodes) > 0,
                "--events-per-node" when i + 1 < args.Length && TryMean(args[++i], 2, out var events) => (options.EventsPerNode = events) > 0,
                _ => false,
            };
            if (!ok)
            {
                await error.WriteLineAsync(
                    "Usage: seed [--jobs N] [--seed N] [--nodes-per-job MEAN] [--events-per-node MEAN] [--replace [--force]]   " +
                    "(N a positive whole number; nodes per job at least 1, events per node at least 2)");
                return Failure;
            }
        }

        if (options.Replace && !await ConfirmReplaceAsync(db, environment, force, output, error))
            return Failure;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await new DemoDataSeeder(db).SeedAsync(options, CancellationToken.None);
        if (result.Refused)
        {
            await error.WriteLineAsync($"{result.Refusal} (the seed verb: --replace)");
            return Failure;
        }

        await output.WriteLineAsync(
            $"Seeded {result.Jobs} jobs, {result.Nodes} nodes and {result.Events} events in {clock.Elapsed.TotalSeconds:0.0} s.");
        return Success;
    }

    /// <summary>
    /// <c>--replace</c> deletes every job: say which database and how many first, and outside Development go on
    /// only with <c>--force</c>.
    /// </summary>
    private static async Task<bool> ConfirmReplaceAsync(
        OrchestratorDbContext db, IHostEnvironment environment, bool force, TextWriter output, TextWriter error)
    {
        var jobs = await db.Jobs.LongCountAsync();
        if (jobs == 0)
            return true;

        await output.WriteLineAsync(
            $"--replace deletes all {jobs} jobs of {DescribeTarget(db)} (environment {environment.EnvironmentName}).");
        if (environment.IsDevelopment() || force)
            return true;
        await error.WriteLineAsync(
            $"Refusing to delete {jobs} jobs outside Development: add --force to replace them. Nothing was changed.");
        return false;
    }

    /// <summary>The provider and the database it points at, never the credentials of the connection string.</summary>
    private static string DescribeTarget(OrchestratorDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        return db.Database.IsSqlServer()
            ? $"SQL Server database '{connection.Database}' on '{connection.DataSource}'"
            : $"SQLite database '{connection.DataSource}'";
    }

    private static bool TryMean(string text, double minimum, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value >= minimum && value <= 100_000;

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    /// <summary>Writes the OpenAPI document the running API serves, for the committed copy in docs/openapi.json.</summary>
    private static async Task<int> WriteOpenApiAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 1)
        {
            await error.WriteLineAsync("Usage: openapi <file>   (- writes to standard output)");
            return Failure;
        }

        var document = await services.GetRequiredService<IOpenApiDocumentGenerator>().GenerateAsync("v1");
        document.Servers.Clear();
        var json = document.ToJson() + "\n";
        if (args[0] == "-")
            await output.WriteAsync(json);
        else
            await File.WriteAllTextAsync(CommandLine.ResolvePath(args[0]), json);
        return Success;
    }

    /// <summary>Prints the SHA-256 to put in <c>Auth:Tokens:n:Sha256</c>; <c>-</c> reads the token from standard input.</summary>
    private static async Task<int> HashTokenAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 1)
        {
            await error.WriteLineAsync("Usage: hash-token <token>   (- reads the token from standard input, keeping it out of shell history)");
            return Failure;
        }

        var token = args[0] == "-" ? (await Console.In.ReadLineAsync())?.Trim() ?? "" : args[0];
        if (token.Length == 0)
        {
            await error.WriteLineAsync("The token is empty.");
            return Failure;
        }

        if (token.Length < MinimumTokenLength)
            await error.WriteLineAsync(
                $"Warning: the token is {token.Length} characters long; use at least {MinimumTokenLength} random characters (the new-token verb makes one).");
        await output.WriteLineAsync(Convert.ToHexStringLower(Authentication.ApiTokenAuthenticationHandler.Hash(token)));
        return Success;
    }

    private const int MinimumTokenLength = 32;

    /// <summary>A new token of 256 random bits (base64url, 43 characters) and the SHA-256 to configure for it.</summary>
    private static async Task<int> NewTokenAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 0)
        {
            await error.WriteLineAsync("Usage: new-token   (prints a new random token and the SHA-256 to put in Auth:Tokens:n:Sha256)");
            return Failure;
        }

        var token = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await output.WriteLineAsync($"token: {token}");
        await output.WriteLineAsync($"sha256: {Convert.ToHexStringLower(Authentication.ApiTokenAuthenticationHandler.Hash(token))}");
        return Success;
    }
}
