using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>Runs Node.js and npm for the tests of the TypeScript packages (the client, the dashboard).</summary>
public static class NodeTool
{
    private const string NodeMissing = "install Node.js 20+ (https://nodejs.org) to run the TypeScript tests";

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orchestrator.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Orchestrator.sln above {TestContext.CurrentContext.TestDirectory}");
    }

    /// <summary>npm ci is due when node_modules is missing or older than package-lock.json (npm keeps its own copy in node_modules).</summary>
    public static bool NeedsInstall(string directory)
    {
        var installed = Path.Combine(directory, "node_modules", ".package-lock.json");
        return !File.Exists(installed)
            || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(directory, "package-lock.json"));
    }

    /// <summary>node and npm, after checking that node 20 or later is on PATH; fails the test with what to install if not.</summary>
    public static (string Node, string Npm) Require()
    {
        var node = FindOnPath(OperatingSystem.IsWindows() ? ["node.exe"] : ["node"]);
        var npm = FindOnPath(OperatingSystem.IsWindows() ? ["npm.cmd", "npm.exe"] : ["npm"]);
        if (node is null || npm is null)
            Assert.Fail($"{(node is null ? "node" : "npm")} is not on PATH: {NodeMissing}");

        var version = Process.Start(new ProcessStartInfo(node!, "--version") { RedirectStandardOutput = true })!;
        var text = version.StandardOutput.ReadToEnd().Trim();
        version.WaitForExit();
        var major = int.TryParse(text.TrimStart('v').Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        if (major < 20)
            Assert.Fail($"node {text} is too old: {NodeMissing}");
        return (node!, npm!);
    }

    public static string? FindOnPath(string[] names) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs a process to its end and returns its exit code and output (standard output and error, interleaved).
    /// <paramref name="onLine"/> sees each line of standard output as it comes; what it returns, if anything, is
    /// written to the process's standard input (a conversation: the process says where it is, the test acts).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, string[] arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, Func<string, Task<string?>>? onLine = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        if (onLine is null)
            process.StandardInput.Close();
        process.BeginErrorReadLine();

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellation.Token) is { } line)
            {
                lock (output)
                    output.AppendLine(line);
                if (onLine is not null && await onLine(line) is { } reply)
                {
                    await process.StandardInput.WriteLineAsync(reply.AsMemory(), cancellation.Token);
                    await process.StandardInput.FlushAsync(cancellation.Token);
                }
            }

            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output)
                Assert.Fail($"`{fileName} {string.Join(' ', arguments)}` did not finish within {timeout}:\n{output}");
        }
        finally
        {
            // The test side of a conversation failed: do not leave the process (and its browser) running.
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(); // drains the redirected error output
        lock (output)
            return (process.ExitCode, output.ToString());
    }
}
