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
            case "migrate":
                await services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
                await output.WriteLineAsync("The database is up to date.");
                return Success;
            default:
                await error.WriteLineAsync($"Unknown verb '{verb}'. Verbs: {string.Join(", ", CommandLine.Verbs)}.");
                return Failure;
        }
    }
}
