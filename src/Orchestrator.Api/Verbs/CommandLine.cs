namespace Orchestrator.Api.Verbs;

internal static class CommandLine
{
    public static readonly string[] Verbs = ["import", "seed", "migrate", "openapi", "hash-token", "sync"];

    /// <summary>Separates a leading verb and its arguments from the host's own <c>--key value</c> arguments.</summary>
    public static (string? Verb, string[] VerbArgs, string[] HostArgs) Split(string[] args)
    {
        if (args.Length == 0 || !Verbs.Contains(args[0], StringComparer.Ordinal))
            return (null, [], args);

        // Configuration overrides (--Database:Provider=SqlServer, --ConnectionStrings:Orchestrator ...) still reach the host.
        var hostArgs = args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal)).ToArray();
        var verbArgs = args.Skip(1).Except(hostArgs).ToArray();

        // A verb's output is its summary; the SQL of every batch would drown it.
        return (args[0], verbArgs, ["--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Warning", .. hostArgs]);
    }

    /// <summary>
    /// A relative path is taken from the caller's shell directory: `dotnet run --project` starts the app in the
    /// project folder, but leaves the shell's PWD in the environment.
    /// </summary>
    public static string ResolvePath(string path)
    {
        var shell = Environment.GetEnvironmentVariable("PWD");
        var baseDirectory = !string.IsNullOrEmpty(shell) && Directory.Exists(shell) ? shell : Environment.CurrentDirectory;
        return Path.GetFullPath(path, baseDirectory);
    }
}
