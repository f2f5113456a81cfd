using System.Diagnostics;

namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>The built API binary run as a user runs a verb: its own process, configured through the environment.</summary>
public static class ApiProcess
{
    public static ProcessStartInfo StartInfo(
        (string Provider, string ConnectionString) database, string workingDirectory, string environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "Orchestrator.Api.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ConnectionStrings__Orchestrator"] = database.ConnectionString;
        start.Environment["Database__Provider"] = database.Provider;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    public static Task<(int Exit, string Output, string Error)> RunAsync(
        (string Provider, string ConnectionString) database, string workingDirectory, params string[] args) =>
        RunAsync(StartInfo(database, workingDirectory, "Testing", args));

    /// <summary>Runs the process to its end (two minutes at most) and returns its exit code and what it printed.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
