namespace Orchestrator.Api.Verbs;

internal static class CommandLine
{
    public static readonly string[] Verbs = ["import", "seed", "migrate"];

    /// <summary>Separates a leading verb and its arguments from the host's own <c>--key value</c> arguments.</summary>
    public static (string? Verb, string[] VerbArgs, string[] HostArgs) Split(string[] args)
    {
        if (args.Length == 0 || !Verbs.Contains(args[0], StringComparer.Ordinal))
            return (null, [], args);

        // Configuration overrides (--Database:Provider=SqlServer, --ConnectionStrings:Orchestrator ...) still reach the host.
        var hostArgs = args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal)).ToArray();
        var verbArgs = args.Skip(1).Except(hostArgs).ToArray();
        return (args[0], verbArgs, hostArgs);
    }
}
