namespace Orchestrator.Api.Verbs;

internal static class CommandLine
{
    public const string Usage = """
        Usage: Orchestrator.Api [verb] [--Setting:Path=value ...]
          (no verb)                 serve the API
          import <file|->           load jobs from an import file, all or nothing
          seed [--jobs N] [--seed N] [--nodes-per-job MEAN] [--events-per-node MEAN] [--replace [--force]]
          sync --from URL [--token-file F] [--cacert F] [--watch SECONDS] [--concurrency N] [--prune]
                                    mirror a live orchestrator's jobs through its API
          migrate                   apply the configured provider's migrations
          openapi <file|->          write the OpenAPI document
          hash-token <token|->      print the SHA-256 to configure for an API token
          new-token                 print a new random API token and its SHA-256
        """;

    /// <summary>A first argument that is not an option or a setting is a verb, known or not: a typo must not start the server.</summary>
    public static (string? Verb, string[] VerbArgs, string[] HostArgs) Split(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].StartsWith('/') || args[0].Contains('=', StringComparison.Ordinal))
            return (null, [], args);

        // Configuration overrides (--Database:Provider=SqlServer) still reach the host. Partitioned in order, not as
        // sets: equal values (--jobs 42 --seed 42) are separate arguments.
        static bool IsHostArg(string a) => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal);
        var hostArgs = args.Skip(1).Where(IsHostArg).ToArray();
        var verbArgs = args.Skip(1).Where(a => !IsHostArg(a)).ToArray();

        // A verb's output is its summary; the SQL of every batch would drown it.
        return (args[0], verbArgs, ["--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Warning", .. hostArgs]);
    }

    /// <summary>Relative to the shell's PWD: <c>dotnet run --project</c> starts the app in the project folder.</summary>
    public static string ResolvePath(string path)
    {
        var shell = Environment.GetEnvironmentVariable("PWD");
        var baseDirectory = !string.IsNullOrEmpty(shell) && Directory.Exists(shell) ? shell : Environment.CurrentDirectory;
        return Path.GetFullPath(path, baseDirectory);
    }
}
