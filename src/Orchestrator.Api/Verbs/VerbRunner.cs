using Orchestrator.Infrastructure.Import;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Api.Verbs;

/// <summary>The command-line verbs: <c>import &lt;file&gt;</c>, <c>seed [--jobs N]</c>, <c>migrate</c>.</summary>
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
                return await ImportAsync(services.GetRequiredService<OrchestratorDbContext>(), args, output, error);
            case "migrate":
                await services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
                await output.WriteLineAsync("The database is up to date.");
                return Success;
            default:
                await error.WriteLineAsync($"Unknown verb '{verb}'. Verbs: {string.Join(", ", CommandLine.Verbs)}.");
                return Failure;
        }
    }

    private static async Task<int> ImportAsync(OrchestratorDbContext db, string[] args, TextWriter output, TextWriter error)
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
            result = await new JobImporter(db).ImportAsync(input, CancellationToken.None);
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
            await error.WriteLineAsync($"Nothing was imported: {result.Problems.Count} problem(s).");
            return Failure;
        }

        await output.WriteLineAsync($"Imported {result.Jobs} jobs, {result.Nodes} nodes and {result.Events} events.");
        return Success;
    }
}
