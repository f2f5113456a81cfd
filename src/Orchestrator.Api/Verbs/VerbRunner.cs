using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NSwag.Generation;
using Orchestrator.Api.Authentication;
using Orchestrator.Infrastructure.Import;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.Infrastructure.Seeding;

namespace Orchestrator.Api.Verbs;

internal static class VerbRunner
{
    public const int Success = 0;
    public const int Failure = 2;

    private const int MinimumTokenLength = 32;

    public static async Task<int> RunAsync(WebApplication app, string verb, string[] args, TextWriter output, TextWriter error)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (verb)
        {
            case "import":
                return await ImportAsync(await VerbContextAsync(services),
                    app.Configuration.GetSection(ImportLimits.Section).Get<ImportLimits>() ?? new ImportLimits(), args, output, error);
            case "seed":
                return await SeedAsync(await VerbContextAsync(services), app.Environment, args, output, error);
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

    private static async Task<OrchestratorDbContext> VerbContextAsync(IServiceProvider services)
    {
        await services.GetRequiredService<DatabaseInitializer>().MigrateIfAllowedAsync();
        return services.GetRequiredService<OrchestratorDbContext>()
            .UseVerbCommandTimeout(services.GetRequiredService<IOptions<DatabaseOptions>>().Value);
    }

    private static async Task<int> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync(message);
        return Failure;
    }

    private static async Task<int> ImportAsync(OrchestratorDbContext db, ImportLimits limits, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 1)
            return await FailAsync(error, "Usage: import <file>   (- reads standard input)");

        ImportResult result;
        try
        {
            await using var input = args[0] == "-" ? Console.OpenStandardInput() : File.OpenRead(CommandLine.ResolvePath(args[0]));
            result = await new JobImporter(db, limits).ImportAsync(input, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await FailAsync(error, $"{args[0]}: {e.Message}");
        }

        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems)
                await error.WriteLineAsync(problem);
            if (result.ProblemCount > result.Problems.Count)
                await error.WriteLineAsync($"… and {result.ProblemCount - result.Problems.Count} more problem(s) (Import:MaxProblems lists {result.Problems.Count}).");
            return await FailAsync(error, $"Nothing was imported: {result.ProblemCount} problem(s).");
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
                return await FailAsync(error,
                    "Usage: seed [--jobs N] [--seed N] [--nodes-per-job MEAN] [--events-per-node MEAN] [--replace [--force]]   " +
                    "(N a positive whole number; nodes per job at least 1, events per node at least 2)");
            }
        }

        if (options.Replace && !await ConfirmReplaceAsync(db, environment, force, output, error))
            return Failure;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await new DemoDataSeeder(db).SeedAsync(options, CancellationToken.None);
        if (result.Refused)
            return await FailAsync(error, $"{result.Refusal} (the seed verb: --replace)");

        await output.WriteLineAsync(
            $"Seeded {result.Jobs} jobs, {result.Nodes} nodes and {result.Events} events in {clock.Elapsed.TotalSeconds:0.0} s.");
        return Success;
    }

    /// <summary><c>--replace</c> deletes every job: say where and how many first; outside Development, only with --force.</summary>
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

    private static async Task<int> WriteOpenApiAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 1)
            return await FailAsync(error, "Usage: openapi <file>   (- writes to standard output)");

        var document = await services.GetRequiredService<IOpenApiDocumentGenerator>().GenerateAsync("v1");
        document.Servers.Clear();
        var json = document.ToJson() + "\n";
        if (args[0] == "-")
            await output.WriteAsync(json);
        else
            await File.WriteAllTextAsync(CommandLine.ResolvePath(args[0]), json);
        return Success;
    }

    private static async Task<int> HashTokenAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 1)
            return await FailAsync(error, "Usage: hash-token <token>   (- reads the token from standard input, keeping it out of shell history)");

        var token = args[0] == "-" ? (await Console.In.ReadLineAsync())?.Trim() ?? "" : args[0];
        if (token.Length == 0)
            return await FailAsync(error, "The token is empty.");

        if (token.Length < MinimumTokenLength)
            await error.WriteLineAsync(
                $"Warning: the token is {token.Length} characters long; use at least {MinimumTokenLength} random characters (the new-token verb makes one).");
        await output.WriteLineAsync(HexHash(token));
        return Success;
    }

    private static async Task<int> NewTokenAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length != 0)
            return await FailAsync(error, "Usage: new-token   (prints a new random token and the SHA-256 to put in Auth:Tokens:n:Sha256)");

        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await output.WriteLineAsync($"token: {token}");
        await output.WriteLineAsync($"sha256: {HexHash(token)}");
        return Success;
    }

    private static string HexHash(string token) => Convert.ToHexStringLower(ApiTokenAuthenticationHandler.Hash(token));
}
